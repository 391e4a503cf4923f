package dev.sequencer.workflows.lead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.workflows.testing.CalendarPlanningActivities;
import dev.sequencer.workflows.testing.ScriptedSendActivities;
import dev.sequencer.workflows.testing.ScriptedSendActivities.Defer;
import dev.sequencer.workflows.testing.ScriptedSendActivities.Paused;
import dev.sequencer.workflows.testing.ScriptedSendActivities.Reaction;
import io.temporal.api.history.v1.History;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The longest life a lead's workflow is held to: the per-minute limit defers its hook {@value
 * #DEFERRALS} times, an hour apart, the next send finds the lead paused in the store, and the
 * resume comes after more than a year. Shared by the test of the history's bound and the benchmark
 * of its size, so the figure is measured on the very path the bound is proven on.
 */
final class DeferredAndPausedLead {

  static final int DEFERRALS = 300;

  /**
   * A Friday evening in New York, where the test environment must start: the hook is planned for
   * Tuesday 09:00 (Monday is MLK Day), and the deferrals follow it.
   */
  static final Instant START = local("2027-01-15T18:00");

  static final String WORKFLOW_ID = LeadSequenceWorkflow.workflowId("c1", "l1");

  private DeferredAndPausedLead() {}

  /**
   * Runs the lead to its end, checking on the way that it went as scripted, and returns the history
   * of every run of its workflow, newest first.
   */
  static List<History> runToEnd(
      TestWorkflowEnvironment testEnv,
      WorkflowClient client,
      String taskQueue,
      ScriptedSendActivities sending) {
    List<Reaction> deferrals = new ArrayList<>();
    Instant at = local("2027-01-19T09:00");
    for (int i = 0; i < DEFERRALS; i++) {
      at = at.plus(Duration.ofHours(1));
      deferrals.add(new Defer(at, "per_minute"));
    }
    deferrals.add(new Paused());
    sending.script(0, deferrals.toArray(Reaction[]::new));
    LeadSequenceWorkflow stub =
        client.newWorkflowStub(
            LeadSequenceWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WORKFLOW_ID)
                .setTaskQueue(taskQueue)
                .setWorkflowExecutionTimeout(Duration.ofDays(800))
                .build());
    WorkflowClient.start(stub::run, new LeadSequenceInput("org", "c1", "l1", 42L, START));

    testEnv.sleep(Duration.ofDays(400));
    assertThat(sending.callsFor(0)).hasSize(DEFERRALS + 1);
    stub = client.newWorkflowStub(LeadSequenceWorkflow.class, WORKFLOW_ID);
    assertThat(stub.state().status()).isEqualTo(LeadState.PAUSED);
    stub.resume();
    LeadOutcome outcome = client.newUntypedWorkflowStub(WORKFLOW_ID).getResult(LeadOutcome.class);

    assertThat(outcome.status()).isEqualTo(LeadEnding.COMPLETED);
    assertThat(sending.calledSteps()).endsWith("hook", "proof", "fomo");
    return runs(client);
  }

  private static List<History> runs(WorkflowClient client) {
    List<History> runs = new ArrayList<>();
    String runId = null;
    do {
      History history =
          runId == null
              ? client.fetchHistory(WORKFLOW_ID).getHistory()
              : client.fetchHistory(WORKFLOW_ID, runId).getHistory();
      runs.add(history);
      String previous =
          history
              .getEvents(0)
              .getWorkflowExecutionStartedEventAttributes()
              .getContinuedExecutionRunId();
      runId = previous.isEmpty() ? null : previous;
    } while (runId != null);
    return runs;
  }

  static Instant local(String localDateTime) {
    return LocalDateTime.parse(localDateTime)
        .atZone(CalendarPlanningActivities.NEW_YORK)
        .toInstant();
  }
}
