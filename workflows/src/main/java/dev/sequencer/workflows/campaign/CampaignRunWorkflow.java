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
}
