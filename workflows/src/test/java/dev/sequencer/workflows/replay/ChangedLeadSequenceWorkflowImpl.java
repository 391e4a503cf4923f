package dev.sequencer.workflows.replay;

import dev.sequencer.workflows.lead.LeadOutcome;
import dev.sequencer.workflows.lead.LeadSequenceInput;
import dev.sequencer.workflows.lead.LeadSequenceState;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import dev.sequencer.workflows.lead.LeadSequenceWorkflowImpl;
import dev.sequencer.workflows.lead.OutOfOffice;
import dev.sequencer.workflows.lead.Stop;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;

/**
 * The current implementation with one unversioned change to its commands: an activity before the
 * plan (say, "let the enrolment settle"), not behind {@code Workflow.getVersion}. An activity, not
 * a timer: a run started with enrolment's plan begins with its hook's timer, and replay compares
 * the kind of each command, not a timer's length. It implements the same interface, so it is
 * registered under the same workflow type, {@code LeadSequenceWorkflow}, and a worker running it
 * would pick up the executions already recorded.
 */
public class ChangedLeadSequenceWorkflowImpl implements LeadSequenceWorkflow {

  private final LeadSequenceWorkflowImpl current;

  @WorkflowInit
  public ChangedLeadSequenceWorkflowImpl(LeadSequenceInput input) {
    current = new LeadSequenceWorkflowImpl(input);
  }

  @Override
  public LeadOutcome run(LeadSequenceInput input) {
    Workflow.newUntypedActivityStub(
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build())
        .execute("SettleEnrolment", Void.class, input.leadPk());
    return current.run(input);
  }

  @Override
  public LeadSequenceState state() {
    return current.state();
  }

  @Override
  public void pause(String reason) {
    current.pause(reason);
  }

  @Override
  public void resume() {
    current.resume();
  }

  @Override
  public void stop(Stop stop) {
    current.stop(stop);
  }

  @Override
  public void outOfOffice(OutOfOffice outOfOffice) {
    current.outOfOffice(outOfOffice);
  }

  @Override
  public void reschedule(java.time.Instant sequenceStart) {
    current.reschedule(sequenceStart);
  }

  @Override
  public void triggerEvent(String type) {}
}
