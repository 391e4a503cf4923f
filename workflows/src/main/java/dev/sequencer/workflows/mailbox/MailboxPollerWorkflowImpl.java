package dev.sequencer.workflows.mailbox;

import dev.sequencer.workflows.TaskQueues;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * Reads its mailbox, waits, and reads again, until no campaign or sender uses the mailbox. A read
 * that fails is reported once, when the mailbox starts failing and when its error changes, not at
 * every read, and the pause doubles up to the back-off's cap; the read that succeeds again is
 * reported too. Every few hundred reads it continues as new, so its history stays short.
 */
public class MailboxPollerWorkflowImpl implements MailboxPollerWorkflow {

  static final int READS_PER_RUN = 200;

  private static final Logger log = Workflow.getLogger(MailboxPollerWorkflowImpl.class);

  private final MailboxActivities mailboxes =
      Workflow.newActivityStub(
          MailboxActivities.class,
          ActivityOptions.newBuilder()
              .setTaskQueue(TaskQueues.MAILBOXES)
              // A read of a long backlog may take a while; a reader that died is noticed by its
              // missing heartbeats (one per message) within half a minute.
              .setStartToCloseTimeout(Duration.ofMinutes(30))
              .setHeartbeatTimeout(Duration.ofSeconds(30))
              // The workflow's own back-off is the retry: one attempt per read.
              .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
              .build());

  @Override
  public void poll(MailboxPollerInput input) {
    int failures = input.failures();
    String lastError = input.lastError();
    for (int read = 0; read < READS_PER_RUN; read++) {
      MailboxPoll poll;
      try {
        poll = mailboxes.pollMailbox(input.mailbox());
      } catch (io.temporal.failure.ActivityFailure e) {
        poll = MailboxPoll.failed(rootMessage(e));
      }
      if (MailboxPoll.GONE.equals(poll.outcome())) {
        log.info("mailbox {} is no longer used; its poller ends", input.mailbox());
        return;
      }
      if (MailboxPoll.FAILED.equals(poll.outcome())) {
        failures++;
        if (failures == 1 || !poll.error().equals(lastError)) {
          log.warn(
              "reading the mailbox {} fails: {} (read again with back-off, reported once)",
              input.mailbox(),
              poll.error());
        }
        lastError = poll.error();
      } else {
        if (failures > 0) {
          log.info("mailbox {} is read again after {} failed reads", input.mailbox(), failures);
        }
        failures = 0;
        lastError = null;
      }
      Workflow.sleep(pause(input, failures));
    }
    Workflow.continueAsNew(input.carry(failures, lastError));
  }

  static Duration pause(MailboxPollerInput input, int failures) {
    return input.pauseAfter(failures);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
