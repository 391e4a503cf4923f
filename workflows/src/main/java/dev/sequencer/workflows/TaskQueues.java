package dev.sequencer.workflows;

/** The task queues of Sequencer's workflows and activities. */
public final class TaskQueues {
  /** Sequences, campaign runs and their activities: served by the worker. */
  public static final String SEQUENCER = "sequencer";

  /** The mailbox pollers: served by the api, which processes what they read. */
  public static final String MAILBOXES = "sequencer-mailboxes";

  private TaskQueues() {}
}
