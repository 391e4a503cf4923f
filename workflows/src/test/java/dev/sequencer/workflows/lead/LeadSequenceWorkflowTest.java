package dev.sequencer.workflows.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.sequencer.workflows.lead.FakeSendActivities.Call;
import dev.sequencer.workflows.lead.FakeSendActivities.Defer;
import dev.sequencer.workflows.lead.FakeSendActivities.Fail;
import dev.sequencer.workflows.lead.FakeSendActivities.Stop;
import dev.sequencer.workflows.lead.FakeSendActivities.ThrowAfterDelivery;
import dev.sequencer.workflows.lead.FakeSendActivities.ThrowBeforeDelivery;
import dev.sequencer.workflows.schedule.ScheduleRules;
import dev.sequencer.workflows.schedule.SendPlanner;
import dev.sequencer.workflows.schedule.StepSpec;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lead workflow on Temporal's time-skipping test server, with fake activities that plan with
 * the real {@link SendPlanner}: 09:00-17:00 New York, Monday to Friday, U.S. federal holidays, Hook
 * → Proof → FOMO on business days 0, 3 and 7.
 */
@Timeout(60)
class LeadSequenceWorkflowTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final List<StepSpec> HOOK_PROOF_FOMO =
      List.of(new StepSpec("hook", 0), new StepSpec("proof", 3), new StepSpec("fomo", 7));
  private static final SendPlanner PLANNER =
      new SendPlanner(
          new ScheduleRules(
              "America/New_York",
              LocalTime.of(9, 0),
              LocalTime.of(17, 0),
              EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
              "US",
              Set.of()));

  /** Friday 2027-01-15 18:00 in New York: after the window, before MLK Day on Monday the 18th. */
  private static final Instant FRIDAY_EVENING = local("2027-01-15T18:00");

  private static final long LEAD_PK = 42;
  private static final String WORKFLOW_ID = LeadSequenceWorkflow.workflowId("c1", "l1");

  /** Workflow and service clocks drift from timer instants by the real time a task takes. */
  private static final Duration DRIFT = Duration.ofSeconds(10);

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
  private FakePlanningActivities planning;
  private FakeSendActivities sending;

  @BeforeEach
  void setUp(TestWorkflowEnvironment testEnv, WorkflowClient client, Worker worker) {
    this.testEnv = testEnv;
    this.client = client;
    this.taskQueue = worker.getTaskQueue();
    planning = new FakePlanningActivities(PLANNER, NEW_YORK, HOOK_PROOF_FOMO);
    sending = new FakeSendActivities(testEnv::currentTimeMillis);
    worker.registerActivitiesImplementations(planning, sending);
    testEnv.start();
  }

  @Test
  void sendsHookProofAndFomoOnBusinessDaysCountedFromTheHook() {
    LeadOutcome outcome = newWorkflow().run(input());

    assertThat(outcome).isEqualTo(new LeadOutcome(LeadEnding.COMPLETED, null));
    assertThat(sending.calls)
        .extracting(c -> c.request().stepType())
        .containsExactly("hook", "proof", "fomo");
    assertThat(sending.calls)
        .extracting(c -> c.request().workflowId(), c -> c.request().position())
        .containsExactly(tuple(WORKFLOW_ID, 0), tuple(WORKFLOW_ID, 1), tuple(WORKFLOW_ID, 2));
    // The activity learns the workflow's clock, so "now" agrees in both worlds.
    assertThat(sending.calls)
        .allSatisfy(
            c -> assertThat(c.request().workflowTime()).isBetween(c.at().minusSeconds(1), c.at()));
    // Monday the 18th is MLK Day: the first allowed instant is Tuesday at the window start.
    Instant hookSent = sentAt(0);
    assertSentAround(hookSent, "2027-01-19T09:00");
    // 3 and 7 business days after Tuesday the 19th, at the hook's local time.
    assertSentAround(sentAt(1), "2027-01-22T09:00");
    assertSentAround(sentAt(2), "2027-01-28T09:00");
    assertThat(sending.finished).containsExactly(new LeadOutcome(LeadEnding.COMPLETED, null));
    assertThat(sending.delivered).hasSize(3);

    // After the hook went out, the later steps were planned from its actual send instant.
    assertThat(planning.requests)
        .containsExactly(
            PlanRequest.fromStart(LEAD_PK, FRIDAY_EVENING),
            new PlanRequest(LEAD_PK, 1, hookSent, 0, null, null, false));
    LeadSequenceState state = stub().state();
    assertThat(state.status()).isEqualTo(LeadState.ENDED);
    assertThat(state.ending()).isEqualTo(LeadEnding.COMPLETED);
    assertThat(state.nextStep()).isEqualTo(3);
    assertThat(state.plan())
        .extracting(PlannedStep::status)
        .containsExactly("sent", "sent", "sent");
    // A sent step shows when it actually went out.
    assertThat(state.plan().get(1).scheduledAt()).isEqualTo(sentAt(1));
    assertThat(state.plan().get(2).scheduledAt()).isEqualTo(sentAt(2));
  }

  @Test
  void stateShowsThePlanWhileWaitingForTheHook() {
    WorkflowClient.start(newWorkflow()::run, input());
    testEnv.sleep(Duration.ofHours(1));

    LeadSequenceState state = stub().state();

    assertThat(state.status()).isEqualTo(LeadState.ACTIVE);
    assertThat(state.nextStep()).isZero();
    assertThat(state.plan())
        .containsExactly(
            new PlannedStep(0, "hook", 0, local("2027-01-19T09:00"), "scheduled", "outside_window"),
            new PlannedStep(1, "proof", 3, local("2027-01-22T09:00"), "scheduled", null),
            new PlannedStep(2, "fomo", 7, local("2027-01-28T09:00"), "scheduled", null));
    assertThat(sending.calls).isEmpty();
  }

  @Test
  void aRunStartedWithEnrolmentsPlanWaitsOnItWithoutPlanningItself() {
    // As enrolment plans it: Tuesday the 19th at 09:00 (Monday is MLK Day), then 3 and 7 days.
    SequencePlan planned =
        new SequencePlan(
            "America/New_York",
            List.of(
                new PlannedStep(
                    0, "hook", 0, local("2027-01-19T09:00"), "scheduled", "outside_window"),
                new PlannedStep(1, "proof", 3, local("2027-01-22T09:00"), "scheduled", null),
                new PlannedStep(2, "fomo", 7, local("2027-01-28T09:00"), "scheduled", null)),
            false);
    LeadOutcome outcome = newWorkflow().run(input().withPlan(planned));

    assertThat(outcome).isEqualTo(new LeadOutcome(LeadEnding.COMPLETED, null));
    assertSentAround(sentAt(0), "2027-01-19T09:00");
    assertSentAround(sentAt(1), "2027-01-22T09:00");
    assertSentAround(sentAt(2), "2027-01-28T09:00");
    // The run planned nothing at its start; after the hook it plans the later steps as always.
    assertThat(planning.requests)
        .containsExactly(new PlanRequest(LEAD_PK, 1, sentAt(0), 0, null, null, false));
  }

  @Test
  void aDeferredHookWaitsForItsRetryInstantAndLaterStepsFollowItsSendDate() {
    Instant wednesday = local("2027-01-20T09:00");
    sending.script(0, new Defer(wednesday, "daily_limit"));
    WorkflowClient.start(newWorkflow()::run, input());

    // Tuesday noon: the hook was tried at 09:00, deferred, and waits for Wednesday.
    sleepUntil(local("2027-01-19T12:00"));
    assertThat(sending.calls).hasSize(1);
    LeadSequenceState waiting = stub().state();
    assertThat(waiting.nextStep()).isZero();
    assertThat(waiting.plan().get(0))
        .isEqualTo(new PlannedStep(0, "hook", 0, wednesday, "scheduled", "daily_limit"));

    LeadOutcome outcome = stub().run(input());

    assertThat(outcome.status()).isEqualTo(LeadEnding.COMPLETED);
    assertThat(sending.callsFor(0)).hasSize(2);
    assertSentAround(sending.callsFor(0).get(0).at(), "2027-01-19T09:00");
    Instant hookSent = sentAt(0);
    assertSentAround(hookSent, "2027-01-20T09:00");
    // 3 and 7 business days after Wednesday the 20th, not after the first try.
    assertSentAround(sentAt(1), "2027-01-25T09:00");
    assertSentAround(sentAt(2), "2027-01-29T09:00");
    assertThat(planning.requests)
        .last()
        .isEqualTo(new PlanRequest(LEAD_PK, 1, hookSent, 0, null, null, false));
    assertThat(sending.finished).containsExactly(new LeadOutcome(LeadEnding.COMPLETED, null));
  }

  @Test
  void anOptOutStopsTheSequenceWithNoLaterSend() {
    sending.script(1, new Stop(LeadEnding.OPTED_OUT));

    LeadOutcome outcome = newWorkflow().run(input());

    assertThat(outcome).isEqualTo(new LeadOutcome(LeadEnding.OPTED_OUT, "opted_out"));
    assertThat(sending.calls)
        .extracting(c -> c.request().stepType())
        .containsExactly("hook", "proof");
    assertThat(sending.delivered).containsOnlyKeys(WORKFLOW_ID + ":0");
    assertThat(sending.finished)
        .containsExactly(new LeadOutcome(LeadEnding.OPTED_OUT, "opted_out"));
    assertThat(stub().state().ending()).isEqualTo(LeadEnding.OPTED_OUT);
  }

  @Test
  void aPermanentFailureEndsTheSequenceAsFailed() {
    sending.script(0, new Fail("invalid_address"));

    LeadOutcome outcome = newWorkflow().run(input());

    assertThat(outcome).isEqualTo(new LeadOutcome(LeadEnding.FAILED, "invalid_address", 0));
    assertThat(sending.calls).hasSize(1);
    assertThat(sending.delivered).isEmpty();
    assertThat(sending.finished)
        .containsExactly(new LeadOutcome(LeadEnding.FAILED, "invalid_address", 0));
    LeadSequenceState state = stub().state();
    assertThat(state.status()).isEqualTo(LeadState.ENDED);
    assertThat(state.ending()).isEqualTo(LeadEnding.FAILED);
    assertThat(state.plan().get(0).status()).isEqualTo("failed");
    assertThat(state.plan().get(0).reason()).isEqualTo("invalid_address");
  }

  @Test
  void aRetriedSendDeliversOneMessageAndLaterStepsFollowTheDelivery() {
    // Attempt 1: the relay is down. Attempt 2: handed over, but the result is lost.
    // Attempt 3: finds the delivery of attempt 2 and reports it.
    sending.script(0, new ThrowBeforeDelivery(), new ThrowAfterDelivery());

    LeadOutcome outcome = newWorkflow().run(input());

    assertThat(outcome.status()).isEqualTo(LeadEnding.COMPLETED);
    assertThat(sending.callsFor(0)).extracting(Call::attempt).containsExactly(1, 2, 3);
    assertThat(sending.delivered).hasSize(3).containsKey(WORKFLOW_ID + ":0");
    List<Call> hookCalls = sending.callsFor(0);
    // The impl's retry policy: 5 s, then 10 s (backoff coefficient 2).
    assertThat(Duration.between(hookCalls.get(0).at(), hookCalls.get(1).at()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(5));
    assertThat(Duration.between(hookCalls.get(1).at(), hookCalls.get(2).at()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(10));
    Instant delivered = sending.delivered.get(WORKFLOW_ID + ":0").at();
    assertThat(delivered).isEqualTo(hookCalls.get(1).at());
    assertThat(planning.requests)
        .last()
        .isEqualTo(new PlanRequest(LEAD_PK, 1, delivered, 0, null, null, false));
    assertSentAround(sentAt(1), "2027-01-22T09:00:05");
  }

  private LeadSequenceWorkflow newWorkflow() {
    return client.newWorkflowStub(
        LeadSequenceWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(WORKFLOW_ID).setTaskQueue(taskQueue).build());
  }

  private LeadSequenceWorkflow stub() {
    return client.newWorkflowStub(LeadSequenceWorkflow.class, WORKFLOW_ID);
  }

  private static LeadSequenceInput input() {
    return new LeadSequenceInput("org-1", "c1", "l1", LEAD_PK, FRIDAY_EVENING);
  }

  /** The instant the step at {@code position} was delivered. */
  private Instant sentAt(int position) {
    FakeSendActivities.Delivery delivery = sending.delivered.get(WORKFLOW_ID + ":" + position);
    assertThat(delivery).as("delivery of step %d", position).isNotNull();
    return delivery.at();
  }

  private void sleepUntil(Instant at) {
    testEnv.sleep(Duration.between(Instant.ofEpochMilli(testEnv.currentTimeMillis()), at));
  }

  private static void assertSentAround(Instant sent, String localDateTime) {
    Instant planned = local(localDateTime);
    assertThat(sent)
        .isAfterOrEqualTo(planned)
        .isCloseTo(planned, within(DRIFT.toMillis(), ChronoUnit.MILLIS));
  }

  private static Instant local(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(NEW_YORK).toInstant();
  }
}
