package dev.sequencer.workflows.webhook;

import dev.sequencer.workflows.TaskQueues;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;

/** Wakes an endpoint's workflow, starting it when none runs. */
public final class WebhookWakeUp {

  private WebhookWakeUp() {}

  public static void send(WorkflowClient workflows, String endpointId) {
    WebhookEndpointWorkflow workflow =
        workflows.newWorkflowStub(
            WebhookEndpointWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.SEQUENCER)
                .setWorkflowId(WebhookEndpointWorkflow.workflowId(endpointId))
                .build());
    BatchRequest request = workflows.newSignalWithStartRequest();
    request.add(workflow::deliver, endpointId);
    request.add(workflow::wake);
    workflows.signalWithStart(request);
  }
}
