package dev.sequencer.activities.enrolment;

import dev.sequencer.workflows.lead.LeadOutcome;
import dev.sequencer.workflows.lead.LeadSequenceInput;
import dev.sequencer.workflows.lead.LeadSequenceState;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import dev.sequencer.workflows.lead.LeadState;
import dev.sequencer.workflows.lead.OutOfOffice;
import dev.sequencer.workflows.lead.Stop;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test-only lead sequence that runs until it is stopped and records, once per workflow, the
 * resume and the stop that reached it: what a campaign's broadcast must deliver to every lead.
 */
final class WaitingLeadSequence implements LeadSequenceWorkflow {

  /** The workflows that took part and the signals that reached them; shared by one test. */
  static final class Reached {
    final Set<String> started = ConcurrentHashMap.newKeySet();
    final Set<String> paused = ConcurrentHashMap.newKeySet();
    final Set<String> resumed = ConcurrentHashMap.newKeySet();
    final Set<String> stopped = ConcurrentHashMap.newKeySet();
  }

  private final Reached reached;
  private Stop stop;

  WaitingLeadSequence(Reached reached) {
    this.reached = reached;
  }

  @Override
  public LeadOutcome run(LeadSequenceInput input) {
    if (!Workflow.isReplaying()) {
      reached.started.add(Workflow.getInfo().getWorkflowId());
    }
    Workflow.await(() -> stop != null);
    return new LeadOutcome(stop.status(), stop.reason());
  }

  @Override
  public LeadSequenceState state() {
    return new LeadSequenceState(LeadState.ACTIVE, null, 0, List.of());
  }

  @Override
  public void pause(String reason) {
    if (!Workflow.isReplaying()) {
      reached.paused.add(Workflow.getInfo().getWorkflowId());
    }
  }

  @Override
  public void resume() {
    if (!Workflow.isReplaying()) {
      reached.resumed.add(Workflow.getInfo().getWorkflowId());
    }
  }

  @Override
  public void stop(Stop stop) {
    if (!Workflow.isReplaying()) {
      reached.stopped.add(Workflow.getInfo().getWorkflowId());
    }
    this.stop = stop;
  }

  @Override
  public void outOfOffice(OutOfOffice outOfOffice) {}

  @Override
  public void reschedule(Instant sequenceStart) {}

  @Override
  public void triggerEvent(String type) {}
}
