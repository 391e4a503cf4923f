package dev.sequencer.workflows.replay;

import dev.sequencer.workflows.lead.GenerationActivities;
import dev.sequencer.workflows.lead.LeadEnding;
import dev.sequencer.workflows.lead.LeadOutcome;
import dev.sequencer.workflows.lead.LeadSequenceInput;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import dev.sequencer.workflows.lead.LeadSequenceWorkflowImpl;
import dev.sequencer.workflows.lead.OutOfOffice;
import dev.sequencer.workflows.lead.PlanRequest;
import dev.sequencer.workflows.lead.PlanningActivities;
import dev.sequencer.workflows.lead.SequencePlan;
import dev.sequencer.workflows.lead.Stop;
import dev.sequencer.workflows.testing.CalendarPlanningActivities;
import dev.sequencer.workflows.testing.ScriptedSendActivities;
import dev.sequencer.workflows.testing.ScriptedSendActivities.Crash;
import dev.sequencer.workflows.testing.ScriptedSendActivities.Defer;
import dev.sequencer.workflows.testing.ScriptedSendActivities.During;
import dev.sequencer.workflows.testing.ScriptedSendActivities.Paused;
import dev.sequencer.workflows.testing.ScriptedSendActivities.Skipped;
import dev.sequencer.workflows.testing.ScriptedSendActivities.Stopped;
import dev.sequencer.workflows.testing.SlottedPlanningActivities;
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
        wf.stop(new Stop(LeadEnding.REPLIED, "reply received"));
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
  },
  /** Recorded from the implementation before the durable send path, with its store pause. */
  STORE_PAUSED_V0("store-paused", "completed", (env, wf) -> {}) {
    @Override
    void script(ScriptedSendActivities sending) {
      sending.script(1, new Paused());
    }
  },

  // Version 1 of the durable send path (slots, recorded failures, no polling, continue-as-new).
  V1_COMPLETED("v1-completed", "completed", (env, wf) -> {}),
  V1_PAUSED_RESUMED(
      "v1-paused-resumed",
      "completed",
      (env, wf) -> {
        env.sleepUntil("2027-01-20T12:00");
        wf.pause("support");
        env.sleepUntil("2027-02-01T12:00");
        wf.resume();
      }),
  V1_OUT_OF_OFFICE(
      "v1-out-of-office",
      "completed",
      (env, wf) -> {
        env.sleepUntil("2027-01-20T12:00");
        wf.outOfOffice(new OutOfOffice(LocalDate.parse("2027-02-03")));
      }),
  V1_STORE_PAUSED(
      "v1-store-paused",
      "completed",
      (env, wf) -> {
        env.sleepUntil("2027-01-27T12:00");
        wf.resume();
      }) {
    @Override
    void script(ScriptedSendActivities sending) {
      sending.script(1, new Paused());
    }
  },
  V1_RETRIES_EXHAUSTED("v1-retries-exhausted", "failed", (env, wf) -> {}) {
    @Override
    void script(ScriptedSendActivities sending) {
      for (int i = 0; i < 12; i++) {
        sending.script(1, new Crash("relay unreachable"));
      }
    }
  },
  V1_SLOTTED("v1-slotted", "completed", (env, wf) -> {}) {
    @Override
    PlanningActivities planning() {
      SlottedPlanningActivities planning =
          new SlottedPlanningActivities(CalendarPlanningActivities.newYork());
      planning.grants.add(local("2027-01-21T11:00"));
      return planning;
    }
  },
  /**
   * Version 1 of resume-during-send: the campaign's resume is signalled while the proof's send
   * finds the store still paused; the wait it would start ends at once.
   */
  V1_RESUMED_DURING_SEND("v1-resumed-during-send", "completed", (env, wf) -> {}) {
    @Override
    void script(ScriptedSendActivities sending, WorkflowClient client) {
      sending.script(
          1,
          new During(
              () -> client.newWorkflowStub(LeadSequenceWorkflow.class, WORKFLOW_ID).resume(),
              new Paused()));
    }
  },
  /** Started with the plan enrolment made for it: no planning at the run's start. */
  V1_PLANNED_AT_ENROLMENT("v1-planned-at-enrolment", "completed", (env, wf) -> {}) {
    @Override
    LeadSequenceInput input() {
      return super.input()
          .withPlan(
              CalendarPlanningActivities.newYork()
                  .planSteps(PlanRequest.fromStart(42, FRIDAY_EVENING)));
    }
  },
  /**
   * Version 1 of generated-copy: a plan with generated steps has the model write them (one
   * activity) before the first step waits; the sends are as ever.
   */
  V1_GENERATED_COPY("v1-generated-copy", "completed", (env, wf) -> {}) {
    @Override
    LeadSequenceInput input() {
      SequencePlan plan =
          CalendarPlanningActivities.newYork().planSteps(PlanRequest.fromStart(42, FRIDAY_EVENING));
      return super.input()
          .withPlan(new SequencePlan(plan.zone(), plan.steps(), plan.slotted(), true));
    }
  },
  /** Version 1 of skipped-step: no channel reaches the lead for the proof; the fomo still goes. */
  V1_SKIPPED_STEP("v1-skipped-step", "completed", (env, wf) -> {}) {
    @Override
    void script(ScriptedSendActivities sending) {
      sending.script(1, new Skipped("no_address"));
    }
  },
  /**
   * Version 1 of local-finish: the end is recorded by a local activity (a marker in the history)
   * instead of an activity task; one path that completes and one that stops.
   */
  V1_LOCAL_FINISH("v1-local-finish", "completed", (env, wf) -> {}),
  V1_LOCAL_FINISH_OPTED_OUT("v1-local-finish-opted-out", "opted_out", (env, wf) -> {}) {
    @Override
    void script(ScriptedSendActivities sending) {
      sending.script(1, new Stopped("opted_out"));
    }
  },
  /** Enough deferrals to continue as new; the file holds the run that continued and completed. */
  V1_CONTINUED_AS_NEW("v1-continued-as-new", "completed", (env, wf) -> {}) {
    @Override
    void script(ScriptedSendActivities sending) {
      Instant at = local("2027-01-19T09:00");
      for (int i = 0; i < 120; i++) {
        at = at.plus(Duration.ofMinutes(1));
        sending.script(0, new Defer(at, "per_minute"));
      }
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

  /** Like {@link #script(ScriptedSendActivities)}, for answers that signal the workflow. */
  void script(ScriptedSendActivities sending, WorkflowClient client) {
    script(sending);
  }

  /** How the plan is made on this path: the New York calendar without a daily limit. */
  PlanningActivities planning() {
    return CalendarPlanningActivities.newYork();
  }

  /** What the run starts with. */
  LeadSequenceInput input() {
    return new LeadSequenceInput("org-1", "c1", "l1", 42, FRIDAY_EVENING);
  }

  /** The implementation the path is recorded from: the current one unless told otherwise. */
  Class<?> implementation() {
    return LeadSequenceWorkflowImpl.class;
  }

  /** Runs the path to its end and returns its history. */
  WorkflowExecutionHistory record() {
    TestWorkflowEnvironment testEnv =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setInitialTime(FRIDAY_EVENING).build());
    try {
      Worker worker = testEnv.newWorker(TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(implementation());
      WorkflowClient client = testEnv.getWorkflowClient();
      ScriptedSendActivities sending = new ScriptedSendActivities(testEnv::currentTimeMillis);
      script(sending, client);
      // The generation activity's effect is in the store; the workflow only waits for it.
      GenerationActivities generation = leadPk -> {};
      worker.registerActivitiesImplementations(planning(), sending, generation);
      testEnv.start();
      LeadSequenceWorkflow workflow =
          client.newWorkflowStub(
              LeadSequenceWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(WORKFLOW_ID)
                  .setTaskQueue(TASK_QUEUE)
                  .build());
      WorkflowClient.start(workflow::run, input());
      signals.accept(
          at ->
              testEnv.sleep(
                  Duration.between(Instant.ofEpochMilli(testEnv.currentTimeMillis()), local(at))),
          client.newWorkflowStub(LeadSequenceWorkflow.class, WORKFLOW_ID));
      LeadOutcome outcome = client.newUntypedWorkflowStub(WORKFLOW_ID).getResult(LeadOutcome.class);
      if (!outcome.status().wireName().equals(outcomeStatus)) {
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
