package dev.sequencer.activities.enrolment;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The baseline of the enrolment figure: a workflow that does nothing, started as a lead's is. */
@WorkflowInterface
public interface BareWorkflow {

  @WorkflowMethod
  void run();

  /** Ends at once. */
  final class Empty implements BareWorkflow {
    @Override
    public void run() {}
  }
}
