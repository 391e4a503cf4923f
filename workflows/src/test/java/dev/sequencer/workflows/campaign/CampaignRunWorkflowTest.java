package dev.sequencer.workflows.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.sequencer.workflows.campaign.FakeEnrolmentActivities.Enrolment;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The campaign run on Temporal's time-skipping test server, with fake enrolment activities. */
@Timeout(60)
class CampaignRunWorkflowTest {

  private static final Instant NOW = Instant.parse("2027-03-01T12:00:00Z");
  private static final Instant START_AT = Instant.parse("2027-03-04T14:00:00Z");
  private static final String CAMPAIGN = "c1";

  /** Service time runs on in real time while tasks execute. */
  private static final long DRIFT_MILLIS = 10_000;

  @RegisterExtension
  static final TestWorkflowExtension temporal =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(CampaignRunWorkflowImpl.class)
          .setInitialTime(NOW)
          .setDoNotStart(true)
          .build();

  private TestWorkflowEnvironment testEnv;
  private WorkflowClient client;
  private String taskQueue;
  private FakeEnrolmentActivities enrolment;

  /** Counts the auto-winner checks; no winner is ever found here. */
  private final java.util.List<String> winnerChecks =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private final dev.sequencer.workflows.campaign.AnalysisActivities analysis =
      campaignId -> {
        winnerChecks.add(campaignId);
        return null;
      };

  @BeforeEach
  void setUp(TestWorkflowEnvironment testEnv, WorkflowClient client, Worker worker) {
    this.testEnv = testEnv;
    this.client = client;
    this.taskQueue = worker.getTaskQueue();
    enrolment = new FakeEnrolmentActivities(testEnv::currentTimeMillis);
    worker.registerActivitiesImplementations(enrolment, analysis);
    testEnv.start();
  }

  @Test
  void aFutureStartEnrolsAtOnceForTheStartButMarksRunningOnlyWhenItComes() {
    enrolment.enrols(5);
    start(START_AT);
    settle();

    // Leads are enrolled at once, their sequences starting at start_at, so plans show early.
    assertThat(enrolment.enrolments)
        .extracting(Enrolment::campaignId, Enrolment::sequenceStart)
        .containsExactly(tuple(CAMPAIGN, START_AT));
    assertThat(enrolment.markRunning).isEmpty();
    assertThat(stub().state()).isEqualTo(new CampaignRunState("scheduled", 5));

    sleepUntil(START_AT.minus(Duration.ofMinutes(1)));
    assertThat(enrolment.markRunning).isEmpty();
    assertThat(stub().state().phase()).isEqualTo("scheduled");

    sleepUntil(START_AT.plus(Duration.ofMinutes(1)));
    assertThat(enrolment.markRunning).hasSize(1);
    assertThat(enrolment.markRunning.get(0))
        .isAfterOrEqualTo(START_AT)
        .isCloseTo(START_AT, within(DRIFT_MILLIS, ChronoUnit.MILLIS));
    assertThat(stub().state()).isEqualTo(new CampaignRunState("running", 5));
    assertThat(enrolment.enrolments).hasSize(1);
  }

  @Test
  void leadsAddedBeforeTheStartWaitForIt() {
    enrolment.enrols(5, 2);
    start(START_AT);
    settle();

    stub().leadsAdded();
    settle();

    assertThat(enrolment.enrolments)
        .extracting(Enrolment::sequenceStart)
        .containsExactly(START_AT, START_AT);
    assertThat(enrolment.markRunning).isEmpty();
    assertThat(stub().state()).isEqualTo(new CampaignRunState("scheduled", 7));
  }

  @Test
  void leadsAddedToARunningCampaignStartNow() {
    enrolment.enrols(5, 2);
    start(START_AT);
    sleepUntil(START_AT.plus(Duration.ofDays(2)));
    Instant signalled = now();

    stub().leadsAdded();
    settle();

    assertThat(enrolment.enrolments).hasSize(2);
    Enrolment second = enrolment.enrolments.get(1);
    assertThat(second.sequenceStart())
        .isAfterOrEqualTo(signalled)
        .isCloseTo(signalled, within(DRIFT_MILLIS, ChronoUnit.MILLIS));
    assertThat(enrolment.markRunning).hasSize(1);
    assertThat(stub().state()).isEqualTo(new CampaignRunState("running", 7));
  }

  @Test
  void aRunningCampaignCompletesOnceEveryLeadHasFinished() {
    enrolment.enrols(3);
    enrolment.completions.addAll(List.of(false, true));
    start(NOW);
    sleepUntil(NOW.plus(Duration.ofHours(3)));

    // Looked after one hour (leads still running) and after two (all finished), then ended.
    assertThat(enrolment.completionChecks).hasSize(2);
    assertThat(Duration.between(NOW, enrolment.completionChecks.get(1)))
        .isBetween(Duration.ofHours(2), Duration.ofHours(2).plusSeconds(10));
    assertThat(stub().state()).isEqualTo(new CampaignRunState("completed", 3));
  }

  @Test
  void aRecurringCampaignRunsAtEachOccurrenceForTheLeadsAddedSince() {
    enrolment.enrols(4, 0, 2);
    Instant start = NOW;
    startRecurring(start);
    Instant firstNine = enrolment.occurrences.apply(start.minusMillis(1));
    sleepUntil(firstNine.plus(Duration.ofDays(2)).plus(Duration.ofMinutes(5)));

    // One run a day at 09:00, each enrolling with its occurrence as the sequences' start.
    assertThat(enrolment.enrolments)
        .extracting(Enrolment::sequenceStart)
        .containsExactly(
            firstNine, firstNine.plus(Duration.ofDays(1)), firstNine.plus(Duration.ofDays(2)));
    assertThat(enrolment.runs).hasSize(3);
    assertThat(enrolment.markRunning).hasSize(1);
    assertThat(stub().state()).isEqualTo(new CampaignRunState("running", 6));
  }

  @Test
  void aStartThatIsDueRunsAndEnrolsAtOnce() {
    enrolment.enrols(3);
    start(NOW);
    settle();

    assertThat(enrolment.markRunning).hasSize(1);
    assertThat(enrolment.enrolments).hasSize(1);
    assertThat(enrolment.enrolments.get(0).sequenceStart())
        .isAfterOrEqualTo(NOW)
        .isCloseTo(NOW, within(DRIFT_MILLIS, ChronoUnit.MILLIS));
    assertThat(stub().state()).isEqualTo(new CampaignRunState("running", 3));
    // The auto-winner check runs in an activity with each round of the running campaign.
    assertThat(winnerChecks).containsOnly(CAMPAIGN).isNotEmpty();
  }

  @Test
  void pauseResumeAndCancelAreBroadcastAndCancelEndsTheRun() {
    start(NOW);
    settle();

    stub().pause();
    settle();
    stub().resume();
    settle();
    stub().cancel("cancelled by support");
    WorkflowStub.fromTyped(stub()).getResult(Void.class);

    assertThat(enrolment.broadcasts)
        .extracting(FakeEnrolmentActivities.Broadcast::command)
        .containsExactly(
            new LeadCommand(LeadCommand.Kind.PAUSE, "campaign paused"),
            new LeadCommand(LeadCommand.Kind.RESUME, "campaign resumed"),
            new LeadCommand(LeadCommand.Kind.STOP, "cancelled by support"));
    assertThat(stub().state().phase()).isEqualTo("cancelled");
  }

  @Test
  void aResumeIsPassedOnWhileTheRunGoesOnEnrolling() throws Exception {
    enrolment.enrols(5, 2);
    start(NOW);
    settle();
    enrolment.holdBroadcasts();

    stub().resume();
    assertThat(enrolment.heldBroadcastStarted.await(20, TimeUnit.SECONDS)).isTrue();
    stub().leadsAdded();
    // The resume's broadcast is still running: the run enrols the new leads beside it.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (enrolment.enrolments.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(enrolment.enrolments).hasSize(2);
    assertThat(stub().state().enrolled()).isEqualTo(7);

    enrolment.releaseBroadcasts();
    stub().cancel("cancelled by support");
    WorkflowStub.fromTyped(stub()).getResult(Void.class);
    assertThat(enrolment.broadcasts)
        .extracting(b -> b.command().kind())
        .containsExactly(LeadCommand.Kind.RESUME, LeadCommand.Kind.STOP);
  }

  private void start(Instant startAt) {
    CampaignRunWorkflow run =
        client.newWorkflowStub(
            CampaignRunWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(CampaignRunWorkflow.workflowId(CAMPAIGN))
                .setTaskQueue(taskQueue)
                .build());
    WorkflowClient.start(run::run, new CampaignRunInput(CAMPAIGN, startAt, 0));
  }

  private void startRecurring(Instant startAt) {
    CampaignRunWorkflow run =
        client.newWorkflowStub(
            CampaignRunWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(CampaignRunWorkflow.workflowId(CAMPAIGN))
                .setTaskQueue(taskQueue)
                .build());
    WorkflowClient.start(run::run, new CampaignRunInput(CAMPAIGN, startAt, 0, true));
  }

  private CampaignRunWorkflow stub() {
    return client.newWorkflowStub(
        CampaignRunWorkflow.class, CampaignRunWorkflow.workflowId(CAMPAIGN));
  }

  /**
   * Lets the workflow finish what it was woken for: time cannot skip past a pending workflow task
   * or a running activity, so a minute of service time passes only once it is idle.
   */
  private void settle() {
    testEnv.sleep(Duration.ofMinutes(1));
  }

  private void sleepUntil(Instant at) {
    testEnv.sleep(Duration.between(now(), at));
  }

  private Instant now() {
    return Instant.ofEpochMilli(testEnv.currentTimeMillis());
  }
}
