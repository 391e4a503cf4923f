package dev.sequencer.workflows.replay;

import dev.sequencer.workflows.lead.LeadOutcome;
import dev.sequencer.workflows.lead.LeadSequenceInput;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import dev.sequencer.workflows.lead.LeadSequenceWorkflowImpl;
import dev.sequencer.workflows.lead.OutOfOffice;
import dev.sequencer.workflows.lead.Stop;
import dev.sequencer.workflows.testing.CalendarPlanningActivities;
import dev.sequencer.workflows.testing.ScriptedSendActivities;
import dev.sequencer.workflows.testing.ScriptedSendActivities.Defer;
import dev.sequencer.workflows.testing.ScriptedSendActivities.Stopped;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.function.BiConsumer;

/**
 * The lead-sequence paths whose histories are kept under {@code src/test/resources/histories} and
 * replayed by {@link LeadSequenceReplayTest}: each runs the current {@link
 * LeadSequenceWorkflowImpl} on a fresh time-skipping test server with the calendar-backed fakes,
 * and returns the history.
 */
enum LeadHistoryPaths {
  COMPLETED("completed", "completed", (env, wf) -> {}),
  REPLIED(
      "replied",
      "replied",
      (env, wf) -> {
        env.sleepUntil("2027-01-20T12:00");
        wf.stop(new Stop("replied", "reply received"));
      }),
  OPTED_OUT("opted-out", "opted_out", (env, wf) -> {}) {
    @Override
    void script(ScriptedSendActivities sending) {
      sending.script(1, new Stopped("opted_out"));
    }
  },
  PAUSED_RESUMED(
      "paused-resumed",
      "completed",
      (env, wf) -> {
        env.sleepUntil("2027-01-20T12:00");
        wf.pause("support");
        env.sleepUntil("2027-02-01T12:00");
        wf.resume();
      }),
  OUT_OF_OFFICE(
      "out-of-office",
      "completed",
      (env, wf) -> {
        env.sleepUntil("2027-01-20T12:00");
        wf.outOfOffice(new OutOfOffice(LocalDate.parse("2027-02-03")));
      }),
  DEFERRED_DAILY_LIMIT("deferred-daily-limit", "completed", (env, wf) -> {}) {
    @Override
    void script(ScriptedSendActivities sending) {
      sending.script(0, new Defer(local("2027-01-20T09:00"), "daily_limit"));
    }
  };

  static final Instant FRIDAY_EVENING = local("2027-01-15T18:00");
  static final String WORKFLOW_ID = LeadSequenceWorkflow.workflowId("c1", "l1");
  static final String TASK_QUEUE = "lead-histories";

  /** The part of the history file's name after {@code lead-}. */
  final String fileName;

  final String outcomeStatus;
  private final BiConsumer<Clock, LeadSequenceWorkflow> signals;

  LeadHistoryPaths(
      String fileName, String outcomeStatus, BiConsumer<Clock, LeadSequenceWorkflow> signals) {
    this.fileName = fileName;
    this.outcomeStatus = outcomeStatus;
    this.signals = signals;
  }

  /** The resource the path's history is kept in. */
  String resource() {
    return "/histories/lead-" + fileName + ".json";
  }

  /** How the send activity answers on this path; it sends every step unless told otherwise. */
  void script(ScriptedSendActivities sending) {}

  /** Runs the path to its end and returns its history. */
  WorkflowExecutionHistory record() {
    TestWorkflowEnvironment testEnv =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setInitialTime(FRIDAY_EVENING).build());
    try {
      Worker worker = testEnv.newWorker(TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(LeadSequenceWorkflowImpl.class);
      ScriptedSendActivities sending = new ScriptedSendActivities(testEnv::currentTimeMillis);
      script(sending);
      worker.registerActivitiesImplementations(CalendarPlanningActivities.newYork(), sending);
      testEnv.start();
      WorkflowClient client = testEnv.getWorkflowClient();
      LeadSequenceWorkflow workflow =
          client.newWorkflowStub(
              LeadSequenceWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(WORKFLOW_ID)
                  .setTaskQueue(TASK_QUEUE)
                  .build());
      WorkflowClient.start(
          workflow::run, new LeadSequenceInput("org-1", "c1", "l1", 42, FRIDAY_EVENING));
      signals.accept(
          at ->
              testEnv.sleep(
                  Duration.between(Instant.ofEpochMilli(testEnv.currentTimeMillis()), local(at))),
          client.newWorkflowStub(LeadSequenceWorkflow.class, WORKFLOW_ID));
      LeadOutcome outcome = client.newUntypedWorkflowStub(WORKFLOW_ID).getResult(LeadOutcome.class);
      if (!outcome.status().equals(outcomeStatus)) {
        throw new IllegalStateException(fileName + " ended " + outcome + ", not " + outcomeStatus);
      }
      return client.fetchHistory(WORKFLOW_ID);
    } finally {
      testEnv.close();
    }
  }

  /** Sleeps the test server until a New York local date-time. */
  interface Clock {
    void sleepUntil(String localDateTime);
  }

  static Instant local(String localDateTime) {
    return LocalDateTime.parse(localDateTime)
        .atZone(CalendarPlanningActivities.NEW_YORK)
        .toInstant();
  }
}
