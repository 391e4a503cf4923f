package dev.sequencer.workflows.mailbox;

import io.temporal.activity.ActivityInterface;

/** Reading a mailbox: its credentials are looked up here, never carried in a workflow's history. */
@ActivityInterface
public interface MailboxActivities {

  /** Reads and processes the messages that arrived since the mailbox's cursor. */
  MailboxPoll pollMailbox(String mailbox);
}
