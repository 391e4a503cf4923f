package dev.sequencer.workflows.webhook;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Delivers one webhook endpoint's events: runs while the endpoint has deliveries pending, sleeps on
 * durable timers until the next retry falls due, and is woken when new events are queued.
 */
@WorkflowInterface
public interface WebhookEndpointWorkflow {

  static String workflowId(String endpointId) {
    return "webhook-" + endpointId;
  }

  @WorkflowMethod
  void deliver(String endpointId);

  /** New deliveries were queued for the endpoint (or one was retried by hand). */
  @SignalMethod
  void wake();
}
