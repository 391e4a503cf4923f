package dev.sequencer.workflows.campaign;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A campaign run: waits for its start, then enrols its leads, including ones added later. */
@WorkflowInterface
public interface CampaignRunWorkflow {

  static String workflowId(String campaignId) {
    return "campaign-" + campaignId;
  }

  @WorkflowMethod
  void run(CampaignRunInput input);

  /** New leads were stored as pending: enrol them. */
  @SignalMethod
  void leadsAdded();

  @QueryMethod
  CampaignRunState state();

  /** The campaign was paused (already recorded in the store): tell every running lead. */
  @SignalMethod
  void pause();

  @SignalMethod
  void resume();

  /** A scheduled campaign's start moved (already recorded in the store). */
  @SignalMethod
  void reschedule(java.time.Instant startAt);

  /** The campaign was cancelled (already recorded in the store): end every running lead. */
  @SignalMethod
  void cancel(String reason);
}
