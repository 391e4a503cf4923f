package dev.sequencer.activities.enrolment;

import dev.sequencer.workflows.lead.LeadEnding;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only lead sequence that records that it ran and ends at once: the enrolment tests start
 * real lead workflows without planning or sending anything.
 */
final class CountingLeadSequence implements LeadSequenceWorkflow {

  /** The runs of every lead workflow, by workflow id; shared by the instances of one test. */
  static final class Runs {
    private final Map<String, AtomicInteger> byWorkflowId = new ConcurrentHashMap<>();
    private final Map<String, String> mismatches = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    void record(String workflowId, LeadSequenceInput input) {
      byWorkflowId.computeIfAbsent(workflowId, id -> new AtomicInteger()).incrementAndGet();
      String expected = LeadSequenceWorkflow.workflowId(input.campaignId(), input.leadId());
      if (!expected.equals(workflowId)) {
        mismatches.put(workflowId, expected);
      }
      total.incrementAndGet();
    }

    /** How many runs started, counting a workflow that ran twice twice. */
    int total() {
      return total.get();
    }

    Map<String, AtomicInteger> byWorkflowId() {
      return byWorkflowId;
    }

    /** Workflow ids whose input named another lead, with the id the input gives. */
    Map<String, String> mismatches() {
      return mismatches;
    }
  }

  private final Runs runs;

  CountingLeadSequence(Runs runs) {
    this.runs = runs;
  }

  @Override
  public LeadOutcome run(LeadSequenceInput input) {
    if (!Workflow.isReplaying()) {
      runs.record(Workflow.getInfo().getWorkflowId(), input);
    }
    return new LeadOutcome(LeadEnding.COMPLETED, "test sequence");
  }

  @Override
  public LeadSequenceState state() {
    return new LeadSequenceState(LeadState.ACTIVE, null, 0, List.of());
  }

  @Override
  public void pause(String reason) {}

  @Override
  public void resume() {}

  @Override
  public void stop(Stop stop) {}

  @Override
  public void outOfOffice(OutOfOffice outOfOffice) {}

  @Override
  public void reschedule(Instant sequenceStart) {}

  @Override
  public void triggerEvent(String type) {}
}
