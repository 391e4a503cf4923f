package dev.sequencer.api.control;

import dev.sequencer.api.temporal.TemporalCalls;
import dev.sequencer.workflows.campaign.CampaignRunWorkflow;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Tells running workflows what the store already says. The store is the source of truth (sends
 * re-check it under a row lock), so a workflow that has already ended is no error. A signal that
 * Temporal does not take within {@link TemporalCalls#DEADLINE} fails the call (503); the calls that
 * signal repeat their signal when repeated.
 */
@Component
public class WorkflowSignals {

  private static final Logger log = LoggerFactory.getLogger(WorkflowSignals.class);

  private final WorkflowClient workflows;

  WorkflowSignals(WorkflowClient workflows) {
    this.workflows = workflows;
  }

  public void lead(String workflowId, Consumer<LeadSequenceWorkflow> signal) {
    if (workflowId == null) {
      return;
    }
    try {
      TemporalCalls.run(
          () -> signal.accept(workflows.newWorkflowStub(LeadSequenceWorkflow.class, workflowId)));
    } catch (WorkflowNotFoundException e) {
      log.debug("{} has ended; nothing to signal", workflowId);
    }
  }

  public void campaign(String workflowId, Consumer<CampaignRunWorkflow> signal) {
    if (workflowId == null) {
      return;
    }
    try {
      TemporalCalls.run(
          () -> signal.accept(workflows.newWorkflowStub(CampaignRunWorkflow.class, workflowId)));
    } catch (WorkflowNotFoundException e) {
      log.debug("{} has ended; nothing to signal", workflowId);
    }
  }
}
