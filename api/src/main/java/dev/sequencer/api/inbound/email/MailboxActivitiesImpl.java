package dev.sequencer.api.inbound.email;

import dev.sequencer.workflows.mailbox.MailboxActivities;
import dev.sequencer.workflows.mailbox.MailboxPoll;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import org.springframework.stereotype.Component;

/** A poller workflow's read of its mailbox, processed here in the api like any inbound mail. */
@Component
class MailboxActivitiesImpl implements MailboxActivities {

  private final ImapPoller poller;

  MailboxActivitiesImpl(ImapPoller poller) {
    this.poller = poller;
  }

  @Override
  public MailboxPoll pollMailbox(String mailbox) {
    ActivityExecutionContext activity = Activity.getExecutionContext();
    activity.heartbeat(null);
    return poller.poll(mailbox, () -> activity.heartbeat(null));
  }
}
