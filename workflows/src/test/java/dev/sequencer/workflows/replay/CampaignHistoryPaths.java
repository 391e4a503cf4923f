package dev.sequencer.workflows.replay;

import dev.sequencer.workflows.campaign.CampaignRunInput;
import dev.sequencer.workflows.campaign.CampaignRunWorkflow;
import dev.sequencer.workflows.campaign.CampaignRunWorkflowImpl;
import dev.sequencer.workflows.testing.RecordingAnalysisActivities;
import dev.sequencer.workflows.testing.RecordingEnrolmentActivities;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The campaign-run paths whose histories are kept under {@code src/test/resources/histories} and
 * replayed by {@link CampaignRunReplayTest}: each runs {@link CampaignRunWorkflowImpl} on a fresh
 * time-skipping test server with the recording fakes, and returns the history of its first run.
 *
 * <p>A history stands for the executions still running on the code that recorded it ({@link
 * #recordedBy}). The {@code v0-} and {@code v1-} files were recorded from worktrees of older
 * commits, with this class trimmed to their API; this tree can only record the {@link #RECORDABLE}
 * ones.
 */
enum CampaignHistoryPaths {
  // Before the completion check: a run ends only when it is cancelled or continues as new.
  V0_CANCELLED(Code.V0, "cancelled", Ending.CANCELLED, startedAndCancelled()),
  V0_SCHEDULED(
      Code.V0,
      "scheduled",
      Ending.CANCELLED,
      startingAt("2027-03-04T14:00")
          .enrols(3)
          .then(
              run -> {
                run.sleepUntil("2027-03-05T12:00");
                run.workflow.cancel("campaign cancelled");
              })),
  V0_LEADS_ADDED(
      Code.V0,
      "leads-added",
      Ending.CANCELLED,
      startingNow()
          .enrols(3, 2, 1)
          .then(
              run -> {
                addLeadsTwice(run);
                run.sleepUntil("2027-03-02T12:00");
                run.workflow.cancel("campaign cancelled");
              })),
  V0_PAUSED_RESUMED_CANCELLED(
      Code.V0, "paused-resumed-cancelled", Ending.CANCELLED, pausedResumedCancelled()),
  /** Continues as new after a round per {@code leadsAdded}, there being no hourly rounds yet. */
  V0_CONTINUED_AS_NEW(
      Code.V0,
      "continued-as-new",
      Ending.CONTINUED_AS_NEW,
      startingNow()
          .enrols(enrolsThreeThenOneEach())
          .then(
              run -> {
                // A signal only after the previous round's enrolment began, or two would share one.
                for (int round = 1; round < CampaignHistoryPaths.ROUNDS_PER_RUN; round++) {
                  run.enrolment.awaitCount("enrolPending", round);
                  run.workflow.leadsAdded();
                }
                // The next run's first round enrols too; then it has served its purpose.
                run.enrolment.awaitCount("enrolPending", CampaignHistoryPaths.ROUNDS_PER_RUN + 1);
                run.workflow.cancel("campaign cancelled");
              })),

  // completion-check 1, before the auto-winner check.
  V1_COMPLETED(Code.V1, "completed", Ending.COMPLETED, completed()),
  V1_SCHEDULED(Code.V1, "scheduled", Ending.COMPLETED, scheduled()),
  V1_RESCHEDULED(Code.V1, "rescheduled", Ending.COMPLETED, rescheduled()),
  V1_LEADS_ADDED(Code.V1, "leads-added", Ending.COMPLETED, leadsAdded()),
  V1_PAUSED_RESUMED_CANCELLED(
      Code.V1, "paused-resumed-cancelled", Ending.CANCELLED, pausedResumedCancelled()),
  V1_RECURRING(Code.V1, "recurring", Ending.CANCELLED, recurring()),
  V1_CONTINUED_AS_NEW(Code.V1, "continued-as-new", Ending.CONTINUED_AS_NEW, hourlyRounds()),

  // completion-check 1 and auto-winner 1.
  COMPLETED(Code.V2, "completed", Ending.COMPLETED, completed()),
  SCHEDULED(Code.V2, "scheduled", Ending.COMPLETED, scheduled()),
  RESCHEDULED(Code.V2, "rescheduled", Ending.COMPLETED, rescheduled()),
  LEADS_ADDED(Code.V2, "leads-added", Ending.COMPLETED, leadsAdded()),
  PAUSED_RESUMED_CANCELLED(
      Code.V2, "paused-resumed-cancelled", Ending.CANCELLED, pausedResumedCancelled()),
  RECURRING(Code.V2, "recurring", Ending.CANCELLED, recurring()),
  CONTINUED_AS_NEW(Code.V2, "continued-as-new", Ending.CONTINUED_AS_NEW, hourlyRounds()),
  /** No winner on the first three checks, variant B from the fourth; no check after that. */
  AUTO_WINNER(
      Code.V2,
      "auto-winner",
      Ending.COMPLETED,
      startingNow().enrols(20).winsFrom("2027-03-01T14:30", "B").finishedFrom("2027-03-01T18:30")),

  // background-broadcasts 1: resume (and a legacy pause) passed on beside the loop.
  V3_COMPLETED(Code.V3, "completed", Ending.COMPLETED, completed()),
  V3_SCHEDULED(Code.V3, "scheduled", Ending.COMPLETED, scheduled()),
  V3_RESCHEDULED(Code.V3, "rescheduled", Ending.COMPLETED, rescheduled()),
  V3_LEADS_ADDED(Code.V3, "leads-added", Ending.COMPLETED, leadsAdded()),
  V3_PAUSED_RESUMED_CANCELLED(
      Code.V3, "paused-resumed-cancelled", Ending.CANCELLED, pausedResumedCancelled()),
  V3_RECURRING(Code.V3, "recurring", Ending.CANCELLED, recurring()),
  V3_CONTINUED_AS_NEW(Code.V3, "continued-as-new", Ending.CONTINUED_AS_NEW, hourlyRounds()),
  V3_AUTO_WINNER(
      Code.V3,
      "auto-winner",
      Ending.COMPLETED,
      startingNow().enrols(20).winsFrom("2027-03-01T14:30", "B").finishedFrom("2027-03-01T18:30")),

  // drain-before-continue 1: commands that arrive while the run awaits its last broadcasts.
  /**
   * 99 pauses and resumes use up the rounds after the enrolment; the cancel comes while the run
   * waits for the last of their broadcasts before continuing as new, and is passed on.
   */
  V4_CANCELLED_WHILE_DRAINING(
      Code.V4,
      "cancelled-while-draining",
      Ending.CANCELLED,
      startingNow()
          .enrols(3)
          .then(
              run -> {
                run.enrolment.awaitCount("enrolPending", 1);
                run.enrolment.duringBroadcast(
                    CampaignHistoryPaths.ROUNDS_PER_RUN - 1,
                    () -> {
                      try {
                        // The run has left its loop and waits for this broadcast by now.
                        Thread.sleep(500);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      run.workflow.cancel("campaign cancelled");
                    });
                for (int i = 1; i < CampaignHistoryPaths.ROUNDS_PER_RUN; i++) {
                  if (i % 2 == 1) {
                    run.workflow.pause();
                  } else {
                    run.workflow.resume();
                  }
                }
              }));

  /** The code a history was recorded from, and the version markers its run loop records. */
  enum Code {
    /** Before the completion check (e0edbe7): no version markers at all. */
    V0("9f2432c", "v0-", Map.of()),
    /** The completion check, before the auto-winner check (39d4cef). */
    V1("c4ee510", "v1-", Map.of("completion-check", 1)),
    V2("3610731", "", Map.of("completion-check", 1, "auto-winner", 1)),
    /** Broadcasts in the background; its marker comes first, in recurring runs too. */
    V3(
        "background-broadcasts",
        "v3-",
        Map.of("completion-check", 1, "auto-winner", 1, "background-broadcasts", 1),
        Map.of("background-broadcasts", 1)),
    /** Commands arriving while the run awaits its last broadcasts are passed on. */
    V4(
        "drain-before-continue",
        "v4-",
        Map.of(
            "completion-check",
            1,
            "auto-winner",
            1,
            "background-broadcasts",
            1,
            "drain-before-continue",
            1),
        Map.of("background-broadcasts", 1));

    final String commit;
    final String filePrefix;
    final Map<String, Integer> markers;

    /** The markers of a recurring run, whose loop has no other versioned call. */
    final Map<String, Integer> recurringMarkers;

    Code(String commit, String filePrefix, Map<String, Integer> markers) {
      this(commit, filePrefix, markers, Map.of());
    }

    Code(
        String commit,
        String filePrefix,
        Map<String, Integer> markers,
        Map<String, Integer> recurringMarkers) {
      this.commit = commit;
      this.filePrefix = filePrefix;
      this.markers = markers;
      this.recurringMarkers = recurringMarkers;
    }
  }

  /** How the path's first run ends. */
  enum Ending {
    /** The hourly check found every lead finished. */
    COMPLETED,
    /** A cancel was passed on to the leads. */
    CANCELLED,
    /** The run used up its rounds; the next run ended the campaign. */
    CONTINUED_AS_NEW
  }

  /** The code in this tree; the older paths are recorded from a worktree of their commit. */
  static final Code RECORDABLE = Code.V4;

  static final String CAMPAIGN = "c1";
  static final String WORKFLOW_ID = CampaignRunWorkflow.workflowId(CAMPAIGN);
  static final String TASK_QUEUE = "campaign-histories";

  /** {@code CampaignRunWorkflowImpl.ROUNDS_PER_RUN}, which is package-private. */
  static final int ROUNDS_PER_RUN = 100;

  /** When every path begins (a Monday), UTC. */
  private static final String NOW = "2027-03-01T12:00";

  final Code recordedBy;

  /** The part of the history file's name after {@code campaign-}. */
  final String fileName;

  final Ending ending;
  final Scenario scenario;

  CampaignHistoryPaths(Code recordedBy, String name, Ending ending, Scenario scenario) {
    this.recordedBy = recordedBy;
    this.fileName = recordedBy.filePrefix + name;
    this.ending = ending;
    this.scenario = scenario;
  }

  /** The resource the path's history is kept in. */
  String resource() {
    return "/histories/campaign-" + fileName + ".json";
  }

  /** The version markers the history holds: a recurring campaign's loop has fewer. */
  Map<String, Integer> markers() {
    return scenario.recurring ? recordedBy.recurringMarkers : recordedBy.markers;
  }

  /** Runs the path to its end and returns the history of its first run. */
  WorkflowExecutionHistory record() {
    TestWorkflowEnvironment testEnv =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setInitialTime(utc(NOW)).build());
    try {
      Worker worker = testEnv.newWorker(TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(CampaignRunWorkflowImpl.class);
      RecordingEnrolmentActivities enrolment =
          new RecordingEnrolmentActivities(testEnv::currentTimeMillis)
              .enrols(scenario.enrols)
              .finishedFrom(scenario.finishedFrom)
              .recursDailyAt(scenario.recursDailyAt);
      RecordingAnalysisActivities analysis =
          new RecordingAnalysisActivities(testEnv::currentTimeMillis)
              .winsFrom(scenario.winnerFrom, scenario.winner);
      worker.registerActivitiesImplementations(enrolment, analysis);
      testEnv.start();
      WorkflowClient client = testEnv.getWorkflowClient();
      CampaignRunWorkflow workflow =
          client.newWorkflowStub(
              CampaignRunWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(WORKFLOW_ID)
                  .setTaskQueue(TASK_QUEUE)
                  .build());
      WorkflowExecution firstRun =
          WorkflowClient.start(
              workflow::run,
              new CampaignRunInput(CAMPAIGN, scenario.startAt, 0, scenario.recurring));
      CampaignRunWorkflow running = client.newWorkflowStub(CampaignRunWorkflow.class, WORKFLOW_ID);
      scenario.signals.send(new Run(testEnv, running, enrolment));
      // Follows the continued runs to the last.
      client.newUntypedWorkflowStub(WORKFLOW_ID).getResult(Void.class);

      WorkflowExecutionHistory history = client.fetchHistory(WORKFLOW_ID, firstRun.getRunId());
      EventType last = history.getLastEvent().getEventType();
      String phase = running.state().phase();
      boolean endedAsNamed =
          switch (ending) {
            case COMPLETED ->
                last == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED
                    && phase.equals("completed");
            case CANCELLED ->
                last == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED
                    && phase.equals("cancelled");
            case CONTINUED_AS_NEW ->
                last == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW;
          };
      if (!endedAsNamed) {
        throw new IllegalStateException(
            fileName + " ended with " + last + " in phase " + phase + ", not " + ending);
      }
      return history;
    } finally {
      testEnv.close();
    }
  }

  /** How a path starts, what the fakes answer, and which signals it sends when. */
  static final class Scenario {
    final Instant startAt;
    final boolean recurring;
    long[] enrols = {};
    Instant finishedFrom;
    LocalTime recursDailyAt;
    Instant winnerFrom;
    String winner;
    Signals signals = run -> {};

    private Scenario(Instant startAt, boolean recurring) {
      this.startAt = startAt;
      this.recurring = recurring;
    }

    Scenario enrols(long... counts) {
      this.enrols = counts;
      return this;
    }

    Scenario finishedFrom(String utc) {
      this.finishedFrom = utc(utc);
      return this;
    }

    Scenario recursDailyAt(String utcTime) {
      this.recursDailyAt = LocalTime.parse(utcTime);
      return this;
    }

    Scenario winsFrom(String utc, String variant) {
      this.winnerFrom = utc(utc);
      this.winner = variant;
      return this;
    }

    Scenario then(Signals signals) {
      this.signals = signals;
      return this;
    }
  }

  interface Signals {
    void send(Run run);
  }

  /** What the signals of a path see of its run. */
  static final class Run {
    final CampaignRunWorkflow workflow;
    final RecordingEnrolmentActivities enrolment;
    private final TestWorkflowEnvironment testEnv;

    Run(
        TestWorkflowEnvironment testEnv,
        CampaignRunWorkflow workflow,
        RecordingEnrolmentActivities enrolment) {
      this.testEnv = testEnv;
      this.workflow = workflow;
      this.enrolment = enrolment;
    }

    /** Sleeps the test server (skipping time) until a UTC date-time. */
    void sleepUntil(String utc) {
      Duration left = Duration.between(Instant.ofEpochMilli(testEnv.currentTimeMillis()), utc(utc));
      if (left.isNegative()) {
        throw new IllegalStateException("already past " + utc);
      }
      testEnv.sleep(left);
    }
  }

  private static Scenario startingNow() {
    return new Scenario(utc(NOW), false);
  }

  private static Scenario startingAt(String utc) {
    return new Scenario(utc(utc), false);
  }

  /** Starts at once, enrols, and the hourly check completes it once every lead has finished. */
  private static Scenario completed() {
    return startingNow().enrols(3).finishedFrom("2027-03-01T15:30");
  }

  /** A future start: enrols at once for the start, marks running when it comes, completes. */
  private static Scenario scheduled() {
    return startingAt("2027-03-04T14:00").enrols(3).finishedFrom("2027-03-04T16:30");
  }

  /** The scheduled start moves two days later before it comes, and the leads are told. */
  private static Scenario rescheduled() {
    return startingAt("2027-03-04T14:00")
        .enrols(3)
        .finishedFrom("2027-03-06T16:30")
        .then(
            run -> {
              run.sleepUntil("2027-03-02T10:00");
              run.workflow.reschedule(utc("2027-03-06T14:00"));
            });
  }

  private static Scenario leadsAdded() {
    return startingNow()
        .enrols(3, 2, 1)
        .finishedFrom("2027-03-01T18:30")
        .then(run -> addLeadsTwice(run));
  }

  private static void addLeadsTwice(Run run) {
    run.sleepUntil("2027-03-01T12:10");
    run.workflow.leadsAdded();
    run.sleepUntil("2027-03-01T14:40");
    run.workflow.leadsAdded();
  }

  private static Scenario startedAndCancelled() {
    return startingNow()
        .enrols(3)
        .then(
            run -> {
              run.sleepUntil("2027-03-02T12:00");
              run.workflow.cancel("campaign cancelled");
            });
  }

  private static Scenario pausedResumedCancelled() {
    return startingNow()
        .enrols(5)
        .then(
            run -> {
              run.sleepUntil("2027-03-01T15:10");
              run.workflow.pause();
              run.sleepUntil("2027-03-02T09:00");
              run.workflow.resume();
              run.sleepUntil("2027-03-03T12:00");
              run.workflow.cancel("campaign cancelled");
            });
  }

  /**
   * Three daily runs at 09:00 UTC (the last finds no new leads), then the campaign is cancelled.
   */
  private static Scenario recurring() {
    return new Scenario(utc(NOW), true)
        .recursDailyAt("09:00")
        .enrols(4, 2, 0)
        .then(
            run -> {
              run.sleepUntil("2027-03-04T12:00");
              run.workflow.cancel("campaign cancelled");
            });
  }

  /**
   * No signals: the first round enrols, then one round an hour finds the campaign unfinished, until
   * the run continues as new (about 2027-03-05T15:00); the next run completes.
   */
  private static Scenario hourlyRounds() {
    return startingNow().enrols(3).finishedFrom("2027-03-06T00:30");
  }

  private static long[] enrolsThreeThenOneEach() {
    long[] counts = new long[ROUNDS_PER_RUN];
    java.util.Arrays.fill(counts, 1);
    counts[0] = 3;
    return counts;
  }

  static Instant utc(String localDateTime) {
    return LocalDateTime.parse(localDateTime).toInstant(ZoneOffset.UTC);
  }
}
