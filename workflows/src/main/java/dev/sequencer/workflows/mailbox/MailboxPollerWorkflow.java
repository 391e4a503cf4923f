package dev.sequencer.workflows.mailbox;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One mailbox's reader: a long-running workflow per mailbox, so that however many api replicas run,
 * each mailbox is read by exactly one poller at a time (its workflow id is the mailbox's).
 */
@WorkflowInterface
public interface MailboxPollerWorkflow {

  static String workflowId(String mailbox) {
    return "mailbox:" + mailbox;
  }

  @WorkflowMethod
  void poll(MailboxPollerInput input);
}
