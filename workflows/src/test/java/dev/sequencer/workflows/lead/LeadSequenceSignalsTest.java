package dev.sequencer.workflows.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sequencer.workflows.testing.CalendarPlanningActivities;
import dev.sequencer.workflows.testing.ScriptedSendActivities;
import dev.sequencer.workflows.testing.ScriptedSendActivities.Defer;
import dev.sequencer.workflows.testing.ScriptedSendActivities.During;
import dev.sequencer.workflows.testing.ScriptedSendActivities.Paused;
import dev.sequencer.workflows.testing.ScriptedSendActivities.PausedUntil;
import dev.sequencer.workflows.testing.ScriptedSendActivities.Send;
import dev.sequencer.workflows.testing.ScriptedSendActivities.Stopped;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.assertj.core.data.TemporalUnitOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lead workflow's signals (stop, pause, resume, out of office) and the send activity's refusals
 * (stopped, paused, deferred) at each point of the sequence, on Temporal's time-skipping test
 * server. The campaign: 09:00-17:00 New York, Monday to Friday, U.S. federal holidays, Hook → Proof
 * → FOMO on business days 0, 3 and 7.
 *
 * <p>Started Friday 2027-01-15 18:00, the plan is: hook Tuesday the 19th 09:00 (Monday is MLK Day),
 * proof Friday the 22nd, FOMO Thursday the 28th. A campaign starting Monday the 25th 10:00 plans
 * hook Monday the 25th 10:00, proof Thursday the 28th, FOMO Wednesday 2027-02-03.
 */
@Timeout(60)
class LeadSequenceSignalsTest {

  private static final ZoneId NEW_YORK = CalendarPlanningActivities.NEW_YORK;

  private static final Instant FRIDAY_EVENING = local("2027-01-15T18:00");
  private static final Instant FUTURE_START = local("2027-01-25T10:00");

  private static final long LEAD_PK = 42;
  private static final String WORKFLOW_ID = LeadSequenceWorkflow.workflowId("c1", "l1");

  /** Workflow and service clocks drift from timer instants by the real time a task takes. */
  private static final Duration DRIFT = Duration.ofSeconds(10);

  private static final TemporalUnitOffset CLOSE = within(DRIFT.toMillis(), ChronoUnit.MILLIS);

  /** Long past every planned instant of every test. */
  private static final Duration LONG_AFTER = Duration.ofDays(60);

  @RegisterExtension
  static final TestWorkflowExtension temporal =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(LeadSequenceWorkflowImpl.class)
          .setInitialTime(FRIDAY_EVENING)
          .setDoNotStart(true)
          .build();

  private TestWorkflowEnvironment testEnv;
  private WorkflowClient client;
  private String taskQueue;
  private CalendarPlanningActivities planning;
  private ScriptedSendActivities sending;

  @BeforeEach
  void setUp(TestWorkflowEnvironment testEnv, WorkflowClient client, Worker worker) {
    this.testEnv = testEnv;
    this.client = client;
    this.taskQueue = worker.getTaskQueue();
    planning = CalendarPlanningActivities.newYork();
    sending = new ScriptedSendActivities(testEnv::currentTimeMillis);
    worker.registerActivitiesImplementations(planning, sending);
    testEnv.start();
  }

  // ---------------------------------------------------------------------------------------------
  // stop

  /** Where in the sequence a signal arrives. */
  enum Point {
    BEFORE_HOOK(FUTURE_START, "2027-01-21T12:00", List.of()),
    BETWEEN_HOOK_AND_PROOF(FRIDAY_EVENING, "2027-01-20T12:00", List.of("hook")),
    BETWEEN_PROOF_AND_FOMO(FRIDAY_EVENING, "2027-01-26T12:00", List.of("hook", "proof"));

    final Instant sequenceStart;
    final Instant signalAt;
    final List<String> sentBefore;

    Point(Instant sequenceStart, String signalAt, List<String> sentBefore) {
      this.sequenceStart = sequenceStart;
      this.signalAt = local(signalAt);
      this.sentBefore = sentBefore;
    }
  }

  static Stream<Arguments> stopsAtEachPoint() {
    List<Arguments> arguments = new ArrayList<>();
    for (Point point : Point.values()) {
      arguments.add(Arguments.of(point, new Stop(LeadEnding.REPLIED, "reply received")));
      arguments.add(Arguments.of(point, new Stop(LeadEnding.OPTED_OUT, "unsubscribe link")));
      arguments.add(Arguments.of(point, new Stop(LeadEnding.BOUNCED, "hard bounce")));
      arguments.add(Arguments.of(point, new Stop(LeadEnding.CANCELLED, "campaign cancelled")));
    }
    return arguments.stream();
  }

  @ParameterizedTest(name = "{1} {0}")
  @MethodSource("stopsAtEachPoint")
  void aStopEndsTheSequenceWithItsStatusAndNothingIsSentAfterIt(Point point, Stop stop) {
    start(point.sequenceStart);
    sleepUntil(point.signalAt);
    assertThat(sending.calledSteps()).isEqualTo(point.sentBefore);

    stub().stop(stop);
    LeadOutcome outcome = result();
    testEnv.sleep(LONG_AFTER);

    assertThat(outcome).isEqualTo(new LeadOutcome(stop.status(), stop.reason()));
    assertThat(sending.calledSteps()).isEqualTo(point.sentBefore);
    assertThat(sending.delivered).hasSize(point.sentBefore.size());
    assertThat(sending.finishedOutcomes()).containsExactly(outcome);
    assertThat(sending.finished.get(0).at()).isCloseTo(point.signalAt, CLOSE);
    LeadSequenceState state = stub().state();
    assertThat(state.status()).isEqualTo(LeadState.ENDED);
    assertThat(state.ending()).isEqualTo(stop.status());
    assertThat(state.nextStep()).isEqualTo(point.sentBefore.size());
  }

  @Test
  void aStopWhilePausedEndsTheSequenceWithoutAResume() {
    start(FRIDAY_EVENING);
    sleepUntil(local("2027-01-20T12:00"));
    stub().pause("campaign paused");
    sleepUntil(local("2027-01-25T12:00"));

    stub().stop(new Stop(LeadEnding.CANCELLED, "campaign cancelled"));
    LeadOutcome outcome = result();
    testEnv.sleep(LONG_AFTER);

    assertThat(outcome).isEqualTo(new LeadOutcome(LeadEnding.CANCELLED, "campaign cancelled"));
    assertThat(sending.calledSteps()).containsExactly("hook");
    assertThat(sending.finishedOutcomes()).containsExactly(outcome);
  }

  // ---------------------------------------------------------------------------------------------
  // pause and resume

  @Test
  void aPauseBetweenHookAndProofHoldsEverySendAndTheResumeMovesTheProofAndKeepsTheFomoGap() {
    start(FRIDAY_EVENING);
    sleepUntil(local("2027-01-20T12:00"));
    Instant hookSent = sentAt(0);
    assertSentAround(hookSent, "2027-01-19T09:00");

    stub().pause("support");
    awaitState(s -> s.status() == LeadState.PAUSED);
    // Long past the proof (Friday the 22nd) and the FOMO (Thursday the 28th).
    sleepUntil(local("2027-02-01T12:00"));
    assertThat(sending.calledSteps()).containsExactly("hook");
    assertThat(stub().state().status()).isEqualTo(LeadState.PAUSED);

    Instant resumed = now();
    stub().resume();
    LeadOutcome outcome = result();

    assertThat(outcome).isEqualTo(new LeadOutcome(LeadEnding.COMPLETED, null));
    assertThat(sending.calledSteps()).containsExactly("hook", "proof", "fomo");
    // Monday 2027-02-01 12:00 is allowed: the proof goes out at the resume.
    Instant proofSent = sentAt(1);
    assertThat(proofSent).isAfterOrEqualTo(resumed).isCloseTo(resumed, CLOSE);
    PlanRequest resumePlan = planning.requests.get(2);
    assertThat(resumePlan)
        .isEqualTo(
            new PlanRequest(LEAD_PK, 1, hookSent, 0, resumePlan.notBefore(), "paused", true));
    assertThat(resumePlan.notBefore()).isCloseTo(resumed, CLOSE);
    // 4 business days (proof day 3 → FOMO day 7) after Monday, at the proof's local time.
    assertThat(sentAt(2)).isCloseTo(sameLocalTime(proofSent, "2027-02-05"), CLOSE);
    assertThat(sentAt(2)).isAfterOrEqualTo(sameLocalTime(proofSent, "2027-02-05"));
    assertThat(sending.finishedOutcomes()).containsExactly(outcome);
  }

  @Test
  void aResumeOutsideTheWindowMovesTheDueStepToTheNextAllowedInstant() {
    start(FRIDAY_EVENING);
    sleepUntil(local("2027-01-26T12:00"));
    Instant proofSent = sentAt(1);
    stub().pause("support");
    sleepUntil(local("2027-02-06T10:00")); // Saturday
    assertThat(sending.calledSteps()).containsExactly("hook", "proof");

    stub().resume();
    LeadSequenceState resumed = awaitState(s -> s.status() == LeadState.ACTIVE);

    assertThat(resumed.plan().get(2))
        .isEqualTo(new PlannedStep(2, "fomo", 7, local("2027-02-08T09:00"), "scheduled", "paused"));
    assertThat(planning.requests)
        .last()
        .isEqualTo(
            new PlanRequest(
                LEAD_PK, 2, proofSent, 3, planning.requests.get(2).notBefore(), "paused", true));
    assertThat(result().status()).isEqualTo(LeadEnding.COMPLETED);
    assertSentAround(sentAt(2), "2027-02-08T09:00");
  }

  @Test
  void aResumeBeforeTheStepFellDueKeepsThePlan() {
    start(FRIDAY_EVENING);
    sleepUntil(local("2027-01-20T12:00"));
    Instant hookSent = sentAt(0);
    stub().pause("support");
    sleepUntil(local("2027-01-21T12:00"));

    stub().resume();
    LeadOutcome outcome = result();

    assertThat(outcome.status()).isEqualTo(LeadEnding.COMPLETED);
    assertThat(sentAt(1)).isCloseTo(sameLocalTime(hookSent, "2027-01-22"), CLOSE);
    assertThat(sentAt(2)).isCloseTo(sameLocalTime(hookSent, "2027-01-28"), CLOSE);
  }

  @Test
  void aPauseBeforeAFutureStartResumedBeforeTheStartKeepsTheHookAtTheStart() {
    start(FUTURE_START);
    sleepUntil(local("2027-01-20T12:00"));
    stub().pause("support");
    sleepUntil(local("2027-01-22T12:00"));
    assertThat(sending.calls).isEmpty();

    stub().resume();
    LeadSequenceState resumed = awaitState(s -> s.status() == LeadState.ACTIVE);

    assertThat(resumed.plan())
        .containsExactly(
            new PlannedStep(0, "hook", 0, FUTURE_START, "scheduled", null),
            new PlannedStep(1, "proof", 3, local("2027-01-28T10:00"), "scheduled", null),
            new PlannedStep(2, "fomo", 7, local("2027-02-03T10:00"), "scheduled", null));
    assertThat(result().status()).isEqualTo(LeadEnding.COMPLETED);
    assertSentAround(sentAt(0), "2027-01-25T10:00");
    assertSentAround(sentAt(1), "2027-01-28T10:00");
    assertSentAround(sentAt(2), "2027-02-03T10:00");
  }

  @Test
  void aPauseBeforeAFutureStartResumedAfterItSendsTheHookAtTheResume() {
    start(FUTURE_START);
    sleepUntil(local("2027-01-20T12:00"));
    stub().pause("support");
    sleepUntil(local("2027-01-27T15:00"));
    assertThat(sending.calls).isEmpty();

    Instant resumed = now();
    stub().resume();
    LeadOutcome outcome = result();

    assertThat(outcome.status()).isEqualTo(LeadEnding.COMPLETED);
    Instant hookSent = sentAt(0);
    assertThat(hookSent).isAfterOrEqualTo(resumed).isCloseTo(resumed, CLOSE);
    assertThat(planning.requests.get(1))
        .isEqualTo(
            new PlanRequest(
                LEAD_PK, 0, FUTURE_START, 0, planning.requests.get(1).notBefore(), "paused", true));
    // Wednesday 27th → 3 business days → Monday 2027-02-01; then 4 more → Friday 2027-02-05.
    assertThat(sentAt(1)).isCloseTo(sameLocalTime(hookSent, "2027-02-01"), CLOSE);
    assertThat(sentAt(2)).isCloseTo(sameLocalTime(sentAt(1), "2027-02-05"), CLOSE);
  }

  @Test
  void aPauseThatDidNotMoveTheHookLeavesItsReason() {
    start(FRIDAY_EVENING);
    testEnv.sleep(Duration.ofHours(1));
    PlannedStep planned = stub().state().plan().get(0);
    assertThat(planned)
        .isEqualTo(
            new PlannedStep(
                0, "hook", 0, local("2027-01-19T09:00"), "scheduled", "outside_window"));
    sleepUntil(local("2027-01-16T12:00")); // Saturday
    stub().pause("support");
    sleepUntil(local("2027-01-17T12:00")); // Sunday

    stub().resume();
    LeadSequenceState resumed = awaitState(s -> s.status() == LeadState.ACTIVE);

    // Tuesday 09:00 was the hook's instant before the pause and still is: the pause moved nothing.
    assertThat(resumed.plan().get(0)).isEqualTo(planned);
  }

  // ---------------------------------------------------------------------------------------------
  // out of office

  @Test
  void outOfOfficeHoldsTheProofUntilTheBusinessDayAfterTheReturnDate() {
    start(FRIDAY_EVENING);
    sleepUntil(local("2027-01-20T12:00"));
    Instant hookSent = sentAt(0);

    stub().outOfOffice(new OutOfOffice(LocalDate.parse("2027-02-03")));
    awaitState(s -> s.status() == LeadState.OUT_OF_OFFICE);
    sleepUntil(local("2027-02-04T08:59"));
    assertThat(sending.calledSteps()).containsExactly("hook");

    LeadOutcome outcome = result();

    assertThat(outcome.status()).isEqualTo(LeadEnding.COMPLETED);
    // Back on Thursday 2027-02-04 at the window start; FOMO 4 business days later.
    Instant back = local("2027-02-04T09:00");
    assertSentAround(sentAt(1), "2027-02-04T09:00");
    assertThat(planning.requests)
        .contains(new PlanRequest(LEAD_PK, 1, hookSent, 0, back, "out_of_office", true));
    assertThat(sentAt(2)).isCloseTo(sameLocalTime(sentAt(1), "2027-02-10"), CLOSE);
    assertThat(sentAt(2)).isAfterOrEqualTo(sameLocalTime(sentAt(1), "2027-02-10"));
  }

  @Test
  void outOfOfficeWithoutADateHoldsTheProofForFiveBusinessDays() {
    start(FRIDAY_EVENING);
    sleepUntil(local("2027-01-20T12:00"));

    stub().outOfOffice(new OutOfOffice(null));
    sleepUntil(local("2027-01-27T08:59"));
    assertThat(sending.calledSteps()).containsExactly("hook");

    assertThat(result().status()).isEqualTo(LeadEnding.COMPLETED);
    // Five business days after Wednesday the 20th: Wednesday the 27th, at the window start.
    assertSentAround(sentAt(1), "2027-01-27T09:00");
    assertThat(sentAt(2)).isCloseTo(sameLocalTime(sentAt(1), "2027-02-02"), CLOSE);
  }

  @Test
  void outOfOfficeEndingBeforeTheProofIsDueKeepsThePlan() {
    start(FRIDAY_EVENING);
    sleepUntil(local("2027-01-20T12:00"));
    Instant hookSent = sentAt(0);

    stub().outOfOffice(new OutOfOffice(LocalDate.parse("2027-01-20")));

    assertThat(result().status()).isEqualTo(LeadEnding.COMPLETED);
    assertThat(sentAt(1)).isCloseTo(sameLocalTime(hookSent, "2027-01-22"), CLOSE);
    assertThat(sentAt(2)).isCloseTo(sameLocalTime(hookSent, "2027-01-28"), CLOSE);
  }

  // ---------------------------------------------------------------------------------------------
  // races between a signal and a send

  @Test
  void aStopArrivingJustBeforeTheProofTimerFiresSendsNoProof() {
    start(FRIDAY_EVENING);
    sleepUntil(local("2027-01-20T12:00"));
    Instant proofDue = stub().state().plan().get(1).scheduledAt();
    assertThat(proofDue).isEqualTo(sameLocalTime(sentAt(0), "2027-01-22"));
    sleepUntil(proofDue.minusMillis(500));

    stub().stop(new Stop(LeadEnding.REPLIED, "reply received"));
    LeadOutcome outcome = result();
    testEnv.sleep(LONG_AFTER);

    assertThat(outcome).isEqualTo(new LeadOutcome(LeadEnding.REPLIED, "reply received"));
    assertThat(sending.callsFor(1)).isEmpty();
    assertThat(sending.calledSteps()).containsExactly("hook");
    assertThat(sending.finishedOutcomes()).containsExactly(outcome);
  }

  @Test
  void theStoreRefusingTheProofEndsTheSequenceOptedOutWithoutSending() {
    sending.script(1, new Stopped("opted_out"));

    LeadOutcome outcome = newWorkflow().run(input(FRIDAY_EVENING));
    testEnv.sleep(LONG_AFTER);

    assertThat(outcome).isEqualTo(new LeadOutcome(LeadEnding.OPTED_OUT, "opted_out"));
    assertThat(sending.calledSteps()).containsExactly("hook", "proof");
    assertThat(sending.delivered).containsOnlyKeys(0);
    assertThat(sending.finishedOutcomes()).containsExactly(outcome);
    assertThat(stub().state().ending()).isEqualTo(LeadEnding.OPTED_OUT);
  }

  @Test
  void anOptOutSignalledWhileTheStoreRefusesTheProofFinishesTheSequenceOnce() {
    sending.script(
        1,
        new During(
            () -> stub().stop(new Stop(LeadEnding.OPTED_OUT, "unsubscribe link")),
            new Stopped("opted_out")));

    LeadOutcome outcome = newWorkflow().run(input(FRIDAY_EVENING));
    testEnv.sleep(LONG_AFTER);

    assertThat(outcome.status()).isEqualTo(LeadEnding.OPTED_OUT);
    assertThat(sending.delivered).containsOnlyKeys(0);
    assertThat(sending.finishedOutcomes()).hasSize(1).containsExactly(outcome);
  }

  @Test
  void aReplyArrivingWhileTheProofIsHandedOverStopsBeforeTheFomo() {
    sending.script(
        1,
        new During(() -> stub().stop(new Stop(LeadEnding.REPLIED, "reply received")), new Send()));

    LeadOutcome outcome = newWorkflow().run(input(FRIDAY_EVENING));
    testEnv.sleep(LONG_AFTER);

    assertThat(outcome).isEqualTo(new LeadOutcome(LeadEnding.REPLIED, "reply received"));
    assertThat(sending.calledSteps()).containsExactly("hook", "proof");
    assertThat(sending.finishedOutcomes()).containsExactly(outcome);
  }

  // ---------------------------------------------------------------------------------------------
  // the store says paused

  @Test
  void aPauseFoundInTheStoreWaitsForASignalWithoutPolling() {
    sending.script(1, new Paused(), new Send());
    start(FRIDAY_EVENING);
    // A week later: still one attempt of the proof, no timer woke the workflow to look again.
    sleepUntil(local("2027-01-29T09:30"));
    assertThat(sending.callsFor(1)).hasSize(1);
    assertThat(stub().state().status()).isEqualTo(LeadState.PAUSED);

    // Every resume, of the lead or of its campaign, signals; that is what wakes the sequence.
    Instant resumed = now();
    stub().resume();
    LeadOutcome outcome = result();

    assertThat(outcome.status()).isEqualTo(LeadEnding.COMPLETED);
    assertThat(sending.callsFor(1)).hasSize(2);
    Instant proofSent = sentAt(1);
    assertThat(proofSent).isAfterOrEqualTo(resumed);
    // A pause found in the store is a pause all the same: the FOMO keeps its 4 business days to
    // the proof's actual send, not to the hook.
    assertThat(sentAt(2)).isCloseTo(sameLocalTime(proofSent, "2027-02-04"), CLOSE);
  }

  @Test
  void aPauseFoundInTheStoreWaitsForTheResumeOnceThePauseSignalArrives() {
    sending.script(1, new During(() -> stub().pause("campaign paused"), new Paused()));
    start(FRIDAY_EVENING);
    sleepUntil(local("2027-01-26T11:00"));
    // No recheck while the pause is signalled.
    assertThat(sending.callsFor(1)).hasSize(1);
    assertThat(stub().state().status()).isEqualTo(LeadState.PAUSED);

    Instant resumed = now();
    stub().resume();
    LeadOutcome outcome = result();

    assertThat(outcome.status()).isEqualTo(LeadEnding.COMPLETED);
    assertThat(sending.callsFor(1)).hasSize(2);
    Instant proofSent = sentAt(1);
    assertThat(proofSent).isAfterOrEqualTo(resumed).isCloseTo(resumed, CLOSE);
    // Tuesday the 26th → 4 business days → Monday 2027-02-01 at the proof's local time.
    assertThat(sentAt(2)).isCloseTo(sameLocalTime(proofSent, "2027-02-01"), CLOSE);
  }

  @Test
  void aLongPauseFoundOnlyInTheStoreStillKeepsTheFomoGap() {
    // The lead was paused through the API and the pause signal never reached the workflow (the
    // store is the source of truth); its resume on Thursday the 28th 09:30 signals as always.
    sending.script(1, new PausedUntil(local("2027-01-28T09:30")));
    start(FRIDAY_EVENING);
    sleepUntil(local("2027-01-28T09:30"));
    assertThat(sending.callsFor(1)).hasSize(1);
    stub().resume();

    LeadOutcome outcome = result();

    assertThat(outcome.status()).isEqualTo(LeadEnding.COMPLETED);
    Instant proofSent = sentAt(1);
    assertSentAround(proofSent, "2027-01-28T09:30");
    // Rule 4: after a pause each later step keeps its business-day gap to the step before it.
    assertThat(sentAt(2)).isCloseTo(sameLocalTime(proofSent, "2027-02-03"), CLOSE);
  }

  // ---------------------------------------------------------------------------------------------
  // the daily limit

  @Test
  void aHookDeferredByTheDailyLimitIsRetriedAtRetryAtAndAnchorsTheLaterSteps() {
    Instant retryAt = local("2027-01-20T10:30");
    sending.script(0, new Defer(retryAt, "daily_limit"));
    start(FRIDAY_EVENING);
    sleepUntil(local("2027-01-20T10:29"));
    assertThat(sending.callsFor(0)).hasSize(1);
    assertThat(stub().state().plan().get(0))
        .isEqualTo(new PlannedStep(0, "hook", 0, retryAt, "scheduled", "daily_limit"));

    LeadOutcome outcome = result();

    assertThat(outcome.status()).isEqualTo(LeadEnding.COMPLETED);
    assertThat(sending.callsFor(0)).hasSize(2);
    assertSentAround(sending.callsFor(0).get(0).at(), "2027-01-19T09:00");
    Instant hookSent = sentAt(0);
    assertSentAround(hookSent, "2027-01-20T10:30");
    // 3 and 7 business days after Wednesday the 20th, at 10:30 (the hook's actual local time).
    assertThat(sentAt(1)).isCloseTo(sameLocalTime(hookSent, "2027-01-25"), CLOSE);
    assertThat(sentAt(2)).isCloseTo(sameLocalTime(hookSent, "2027-01-29"), CLOSE);
    assertThat(planning.requests)
        .last()
        .isEqualTo(new PlanRequest(LEAD_PK, 1, hookSent, 0, null, null, false));
  }

  @Test
  void aProofDeferredByTheDailyLimitLeavesTheFomoAnchoredOnTheHook() {
    sending.script(1, new Defer(local("2027-01-25T09:00"), "daily_limit"));

    LeadOutcome outcome = newWorkflow().run(input(FRIDAY_EVENING));

    assertThat(outcome.status()).isEqualTo(LeadEnding.COMPLETED);
    Instant hookSent = sentAt(0);
    assertThat(sending.callsFor(1)).hasSize(2);
    assertSentAround(sentAt(1), "2027-01-25T09:00");
    assertThat(sentAt(2)).isCloseTo(sameLocalTime(hookSent, "2027-01-28"), CLOSE);
  }

  // ---------------------------------------------------------------------------------------------

  private void start(Instant sequenceStart) {
    WorkflowClient.start(newWorkflow()::run, input(sequenceStart));
  }

  private LeadSequenceWorkflow newWorkflow() {
    return client.newWorkflowStub(
        LeadSequenceWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(WORKFLOW_ID).setTaskQueue(taskQueue).build());
  }

  private LeadSequenceWorkflow stub() {
    return client.newWorkflowStub(LeadSequenceWorkflow.class, WORKFLOW_ID);
  }

  /** Waits for the workflow's result, letting the test server skip time. */
  private LeadOutcome result() {
    return client.newUntypedWorkflowStub(WORKFLOW_ID).getResult(LeadOutcome.class);
  }

  private static LeadSequenceInput input(Instant sequenceStart) {
    return new LeadSequenceInput("org-1", "c1", "l1", LEAD_PK, sequenceStart);
  }

  /** Polls the query until the workflow has handled the signals sent before it. */
  private LeadSequenceState awaitState(Predicate<LeadSequenceState> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    LeadSequenceState state = stub().state();
    while (!condition.test(state) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      state = stub().state();
    }
    assertThat(state).matches(condition, "the awaited state");
    return state;
  }

  /** The instant the step at {@code position} was delivered. */
  private Instant sentAt(int position) {
    ScriptedSendActivities.Delivery delivery = sending.delivered.get(position);
    assertThat(delivery).as("delivery of step %d", position).isNotNull();
    return delivery.at();
  }

  private Instant now() {
    return Instant.ofEpochMilli(testEnv.currentTimeMillis());
  }

  private void sleepUntil(Instant at) {
    testEnv.sleep(Duration.between(now(), at));
  }

  private static void assertSentAround(Instant sent, String localDateTime) {
    Instant planned = local(localDateTime);
    assertThat(sent)
        .isAfterOrEqualTo(planned)
        .isCloseTo(planned, within(DRIFT.toMillis(), ChronoUnit.MILLIS));
  }

  private static Instant sameLocalTime(Instant instant, String localDate) {
    LocalTime time = LocalDateTime.ofInstant(instant, NEW_YORK).toLocalTime();
    return LocalDate.parse(localDate).atTime(time).atZone(NEW_YORK).toInstant();
  }

  private static Instant local(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(NEW_YORK).toInstant();
  }
}
