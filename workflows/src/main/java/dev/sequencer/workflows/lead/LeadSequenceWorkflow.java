package dev.sequencer.workflows.lead;

import io.temporal.workflow.QueryMethod;
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
}
