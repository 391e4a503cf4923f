package dev.sequencer.workflows.lead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.workflows.testing.CalendarPlanningActivities;
import dev.sequencer.workflows.testing.ScriptedSendActivities;
import dev.sequencer.workflows.testing.ScriptedSendActivities.Crash;
import dev.sequencer.workflows.testing.ScriptedSendActivities.Reaction;
import dev.sequencer.workflows.testing.SlottedPlanningActivities;
import io.temporal.api.history.v1.History;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What keeps a sequence accountable whatever happens: failures end as recorded outcomes, a history
 * stays bounded through hundreds of deferrals and a year-long pause, slots are taken before the
 * wait, and an absence is shown at once.
 */
class LeadSequenceDurabilityTest {

  private static final Instant FRIDAY_EVENING = DeferredAndPausedLead.START;
  private static final long LEAD_PK = 42L;

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
  private SlottedPlanningActivities planning;
  private ScriptedSendActivities sending;

  @BeforeEach
  void setUp(TestWorkflowEnvironment testEnv, WorkflowClient client, Worker worker) {
    this.testEnv = testEnv;
    this.client = client;
    this.taskQueue = worker.getTaskQueue();
    planning = new SlottedPlanningActivities(CalendarPlanningActivities.newYork());
    sending = new ScriptedSendActivities(testEnv::currentTimeMillis);
    worker.registerActivitiesImplementations(planning, sending);
    testEnv.start();
  }

  @Test
  void aSendWhoseRetriesRunOutEndsTheLeadFailedWithTheReasonAndTheStep() {
    List<Reaction> crashes = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      crashes.add(new Crash("relay unreachable"));
    }
    sending.script(0, crashes.toArray(Reaction[]::new));

    LeadOutcome outcome = newWorkflow().run(input());

    assertThat(sending.callsFor(0)).hasSize(12);
    assertThat(outcome.status()).isEqualTo(LeadEnding.FAILED);
    assertThat(outcome.position()).isZero();
    assertThat(outcome.reason()).contains("relay unreachable");
    // The end is recorded in the store, so the lead does not stay active under a closed run.
    assertThat(sending.finishedOutcomes()).containsExactly(outcome);
  }

  @Test
  void aLeadDeferredThreeHundredTimesAndPausedForAYearKeepsEachRunUnderTwoThousandEvents() {
    List<History> runs = DeferredAndPausedLead.runToEnd(testEnv, client, taskQueue, sending);

    assertThat(runs)
        .hasSizeGreaterThan(1)
        .allSatisfy(run -> assertThat(run.getEventsCount()).isLessThan(2_000));
  }

  @Test
  void aStepTakesItsSlotBeforeWaitingWakesOnceAndTheLaterStepsFollowIt() {
    // The campaign's daily limit is full until Thursday: the hook's slot is Thursday 11:00.
    Instant slot = local("2027-01-21T11:00");
    planning.grants.add(slot);

    LeadOutcome outcome = newWorkflow().run(input());

    assertThat(outcome.status()).isEqualTo(LeadEnding.COMPLETED);
    assertThat(planning.slotRequests.get(0).position()).isZero();
    assertThat(planning.slotRequests.get(0).plannedAt())
        .isEqualTo(local("2027-01-19T09:00")); // Monday is MLK Day
    // One send call per step: the slot was known before the wait.
    assertThat(sending.calledSteps()).containsExactly("hook", "proof", "fomo");
    assertThat(sending.callsFor(0).get(0).at()).isCloseTo(slot, within());
    // The proof, 3 business days after the hook, counts from the hook's slot (Tuesday the 26th).
    assertThat(planning.slotRequests.get(1).plannedAt())
        .isCloseTo(local("2027-01-26T11:00"), within());
  }

  @Test
  void anOutOfOfficeReplyShowsTheNewDatesAtOnce() {
    LeadSequenceWorkflow stub = newWorkflow();
    WorkflowClient.start(stub::run, input());
    testEnv.sleep(Duration.between(FRIDAY_EVENING, local("2027-01-19T12:00")));
    int before = planning.delegate.requests.size();

    stub.outOfOffice(new OutOfOffice(LocalDate.parse("2027-02-03")));
    testEnv.sleep(Duration.ofSeconds(1));

    // The plan was recorded before the workflow began to wait for the return.
    List<PlanRequest> after =
        planning.delegate.requests.subList(before, planning.delegate.requests.size());
    assertThat(after)
        .anySatisfy(
            r -> {
              assertThat(r.reason()).isEqualTo("out_of_office");
              assertThat(r.notBefore()).isEqualTo(local("2027-02-04T09:00"));
            });
    assertThat(stub.state().plan().get(1).scheduledAt()).isEqualTo(local("2027-02-04T09:00"));
    assertThat(stub.state().plan().get(1).reason()).isEqualTo("out_of_office");
  }

  // --- helpers ---

  private LeadSequenceWorkflow newWorkflow() {
    return client.newWorkflowStub(
        LeadSequenceWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId())
            .setTaskQueue(taskQueue)
            .setWorkflowExecutionTimeout(Duration.ofDays(800))
            .build());
  }

  private static String workflowId() {
    return "lead-c1-l1";
  }

  private static LeadSequenceInput input() {
    return new LeadSequenceInput("org", "c1", "l1", LEAD_PK, FRIDAY_EVENING);
  }

  private static org.assertj.core.data.TemporalUnitOffset within() {
    return org.assertj.core.api.Assertions.within(10, java.time.temporal.ChronoUnit.SECONDS);
  }

  private static Instant local(String localDateTime) {
    return LocalDateTime.parse(localDateTime)
        .atZone(CalendarPlanningActivities.NEW_YORK)
        .toInstant();
  }
}
