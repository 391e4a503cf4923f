package dev.sequencer.app;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The enrolment figure's baseline: a workflow that does nothing, started bare. */
@WorkflowInterface
public interface EmptyWorkflow {

  @WorkflowMethod
  void run();

  final class Impl implements EmptyWorkflow {
    @Override
    public void run() {}
  }
}
