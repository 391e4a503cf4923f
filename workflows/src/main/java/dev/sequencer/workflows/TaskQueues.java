package dev.sequencer.workflows;

/** The task queue every Sequencer workflow and activity runs on. */
public final class TaskQueues {
  public static final String SEQUENCER = "sequencer";

  private TaskQueues() {}
}
