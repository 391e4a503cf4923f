package dev.sequencer.api.history;

import dev.sequencer.api.temporal.TemporalCalls;
import dev.sequencer.workflows.lead.LeadSequenceState;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** A lead's workflow as Temporal has it: its readable events and its current state. */
@Service
public class LeadHistory {

  /**
   * @param runId the run the events are of (the latest: a continued run starts a new history)
   * @param state the workflow's answer to its state query; null when it could not answer
   */
  public record View(
      String workflowId,
      String runId,
      LeadSequenceState state,
      List<WorkflowEvents.Entry> events) {}

  private final WorkflowClient client;

  LeadHistory(WorkflowClient client) {
    this.client = client;
  }

  /**
   * Empty when the lead's workflow has not been started (yet).
   *
   * @param workflowId null for a lead the campaign has not enrolled
   */
  public Optional<View> of(String workflowId) {
    if (workflowId == null) {
      return Optional.empty();
    }
    WorkflowExecutionHistory history;
    try {
      history = TemporalCalls.call(() -> client.fetchHistory(workflowId));
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
    return Optional.of(
        new View(
            workflowId,
            history.getWorkflowExecution().getRunId(),
            state(workflowId),
            WorkflowEvents.readable(history.getEvents())));
  }

  private LeadSequenceState state(String workflowId) {
    try {
      return TemporalCalls.call(
          () -> client.newWorkflowStub(LeadSequenceWorkflow.class, workflowId).state());
    } catch (WorkflowException | StatusRuntimeException e) {
      // A closed workflow answers from its replayed history, or (no worker) not at all.
      return null;
    }
  }
}
