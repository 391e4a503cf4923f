package dev.sequencer.workflows.lead;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One lead's Hook → Proof → FOMO sequence. Its id is {@code lead-<campaign>-<lead>}, so starting a
 * lead twice is impossible.
 */
@WorkflowInterface
public interface LeadSequenceWorkflow {

  static String workflowId(String campaignId, String leadId) {
    return "lead-" + campaignId + "-" + leadId;
  }

  @WorkflowMethod
  LeadOutcome run(LeadSequenceInput input);

  @QueryMethod
  LeadSequenceState state();

  /** Support paused this lead, or its campaign was paused: send nothing until resumed. */
  @SignalMethod
  void pause(String reason);

  @SignalMethod
  void resume();

  /** A reply, an opt-out, a bounce or a cancellation ended the sequence. */
  @SignalMethod
  void stop(Stop stop);

  @SignalMethod
  void outOfOffice(OutOfOffice outOfOffice);

  /** The campaign's start moved; a sequence that has sent nothing yet follows it. */
  @SignalMethod
  void reschedule(java.time.Instant sequenceStart);

  /**
   * An event of a campaign's trigger arrived for the lead's contact: the one that started the
   * sequence (carried by its signal-with-start) or a later one, which does not enrol it again.
   */
  @SignalMethod
  void triggerEvent(String type);
}
