package dev.sequencer.workflows.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.workflows.campaign.LeadCommand.Kind;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The campaign run before its start and across its continue-as-new, on Temporal's time-skipping
 * test server (the steady-state signals are in {@link CampaignRunWorkflowTest}).
 */
@Timeout(60)
class CampaignRunLifecycleTest {

  private static final Instant NOW = Instant.parse("2027-03-01T12:00:00Z");
  private static final Instant START_AT = Instant.parse("2027-03-04T14:00:00Z");
  private static final String CAMPAIGN = "c1";
  private static final String WORKFLOW_ID = CampaignRunWorkflow.workflowId(CAMPAIGN);

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
  private RecordingEnrolment enrolment;

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
    enrolment = new RecordingEnrolment(testEnv::currentTimeMillis);
    worker.registerActivitiesImplementations(enrolment, analysis);
    testEnv.start();
  }

  @Test
  void aCancelBeforeTheStartStopsTheEnrolledLeadsAndNeverMarksTheCampaignRunning() {
    enrolment.enrolsPerCall = 4;
    start(START_AT);
    testEnv.sleep(Duration.ofHours(1));
    assertThat(stub().state()).isEqualTo(new CampaignRunState("scheduled", 4));

    stub().cancel("cancelled before the start");
    result();
    testEnv.sleep(Duration.ofDays(10));

    assertThat(enrolment.commands())
        .containsExactly(new LeadCommand(Kind.STOP, "cancelled before the start"));
    assertThat(enrolment.markRunning).isEmpty();
    assertThat(enrolment.enrolments).containsExactly(START_AT);
    assertThat(stub().state()).isEqualTo(new CampaignRunState("cancelled", 4));
  }

  @Test
  void aPauseBeforeTheStartIsPassedOnAndTheStartStillComes() {
    start(START_AT);
    testEnv.sleep(Duration.ofHours(1));

    stub().pause();
    testEnv.sleep(Duration.ofHours(1));
    assertThat(enrolment.commands())
        .containsExactly(new LeadCommand(Kind.PAUSE, "campaign paused"));
    assertThat(enrolment.markRunning).isEmpty();
    assertThat(stub().state().phase()).isEqualTo("scheduled");

    sleepUntil(START_AT.plus(Duration.ofMinutes(1)));

    assertThat(enrolment.markRunning).hasSize(1);
    assertThat(enrolment.markRunning.get(0)).isAfterOrEqualTo(START_AT);
    assertThat(stub().state().phase()).isEqualTo("running");
  }

  @Test
  void afterItsRoundsTheRunContinuesAsNewKeepingItsCountAndStillTakesSignals() {
    enrolment.enrolsPerCall = 5;
    // Round 0 enrols; round 1 broadcasts the pause, during which 98 more commands queue up;
    // rounds 2-99 broadcast them, and the run continues as new with nothing left queued.
    // (markRunning, before the rounds, is not one.)
    enrolment.duringFirstBroadcast =
        () -> {
          for (int i = 0; i < CampaignRunWorkflowImpl.ROUNDS_PER_RUN - 2; i++) {
            if (i % 2 == 0) {
              stub().resume();
            } else {
              stub().pause();
            }
          }
        };
    WorkflowExecution firstRun = start(NOW);
    awaitCalls(enrolment.enrolments, 1);
    stub().pause();
    awaitCalls(enrolment.broadcasts, CampaignRunWorkflowImpl.ROUNDS_PER_RUN - 1);
    testEnv.sleep(Duration.ofMinutes(1));

    assertThat(client.fetchHistory(WORKFLOW_ID, firstRun.getRunId()).getLastEvent().getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
    // The new run enrols whatever is pending (nothing, the fake enrols 5 once) and keeps the count.
    assertThat(stub().state()).isEqualTo(new CampaignRunState("running", 5));

    stub().cancel("cancelled after many rounds");
    result();

    assertThat(enrolment.commands()).hasSize(CampaignRunWorkflowImpl.ROUNDS_PER_RUN);
    assertThat(enrolment.commands())
        .last()
        .isEqualTo(new LeadCommand(Kind.STOP, "cancelled after many rounds"));
    assertThat(stub().state().phase()).isEqualTo("cancelled");
  }

  /** Regression: until 3396866 the run continued as new with these commands still queued. */
  @Test
  void aCancelQueuedWhenTheRunRunsOutOfRoundsIsStillPassedOn() throws Exception {
    // As above, but 99 commands queue up, the last a cancel: round 99 is the last of the run.
    enrolment.duringFirstBroadcast =
        () -> {
          for (int i = 0; i < CampaignRunWorkflowImpl.ROUNDS_PER_RUN - 2; i++) {
            if (i % 2 == 0) {
              stub().resume();
            } else {
              stub().pause();
            }
          }
          stub().cancel("campaign cancelled");
        };
    start(NOW);
    awaitCalls(enrolment.enrolments, 1);
    stub().pause();
    awaitCalls(enrolment.broadcasts, CampaignRunWorkflowImpl.ROUNDS_PER_RUN - 1);

    // A bound for a hang, not a measure: 99 rounds take a few seconds on two busy cores.
    WorkflowStub.fromTyped(stub()).getResult(60, TimeUnit.SECONDS, Void.class);

    assertThat(enrolment.commands())
        .last()
        .isEqualTo(new LeadCommand(Kind.STOP, "campaign cancelled"));
    assertThat(stub().state().phase()).isEqualTo("cancelled");
  }

  /**
   * Regression: a cancel that arrived while the run waited, after its last round, for the
   * broadcasts still under way was left behind when it continued as new, and never passed on.
   */
  @Test
  void aCancelArrivingWhileTheRunAwaitsItsLastBroadcastsIsPassedOn() throws Exception {
    int queued = CampaignRunWorkflowImpl.ROUNDS_PER_RUN - 2;
    enrolment.duringFirstBroadcast =
        () -> {
          for (int i = 0; i < queued; i++) {
            if (i % 2 == 0) {
              stub().resume();
            } else {
              stub().pause();
            }
          }
          // Rounds 2-99 pass these on beside this first broadcast, still under way: then the run
          // leaves its loop and waits for this one, and the cancel comes in meanwhile.
          awaitCalls(enrolment.broadcasts, queued);
          pause(Duration.ofMillis(500));
          stub().cancel("cancelled while the run waits");
        };
    start(NOW);
    awaitCalls(enrolment.enrolments, 1);
    stub().pause();

    WorkflowStub.fromTyped(stub()).getResult(30, TimeUnit.SECONDS, Void.class);

    assertThat(enrolment.commands())
        .last()
        .isEqualTo(new LeadCommand(Kind.STOP, "cancelled while the run waits"));
    assertThat(stub().state().phase()).isEqualTo("cancelled");
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private WorkflowExecution start(Instant startAt) {
    CampaignRunWorkflow run =
        client.newWorkflowStub(
            CampaignRunWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WORKFLOW_ID)
                .setTaskQueue(taskQueue)
                .build());
    return WorkflowClient.start(run::run, new CampaignRunInput(CAMPAIGN, startAt, 0));
  }

  private CampaignRunWorkflow stub() {
    return client.newWorkflowStub(CampaignRunWorkflow.class, WORKFLOW_ID);
  }

  private void result() {
    client.newUntypedWorkflowStub(WORKFLOW_ID).getResult(Void.class);
  }

  /**
   * Waits in real time (time stands still while no result is awaited) until the fake recorded
   * {@code count} calls.
   */
  private static void awaitCalls(List<?> calls, int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (calls.size() < count && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    assertThat(calls).hasSizeGreaterThanOrEqualTo(count);
  }

  private void sleepUntil(Instant at) {
    testEnv.sleep(Duration.between(Instant.ofEpochMilli(testEnv.currentTimeMillis()), at));
  }

  /** Records every call; can run an action (signals) while the first broadcast is in flight. */
  static final class RecordingEnrolment implements EnrolmentActivities {

    record Broadcast(LeadCommand command, Instant at) {}

    final List<Instant> markRunning = new CopyOnWriteArrayList<>();
    final List<Instant> enrolments = new CopyOnWriteArrayList<>();
    final List<Broadcast> broadcasts = new CopyOnWriteArrayList<>();
    volatile long enrolsPerCall;
    volatile Runnable duringFirstBroadcast = () -> {};

    private final AtomicBoolean enrolledBefore = new AtomicBoolean();
    private final AtomicBoolean broadcastBefore = new AtomicBoolean();
    private final LongSupplier clock;

    RecordingEnrolment(LongSupplier clock) {
      this.clock = clock;
    }

    @Override
    public void markRunning(String campaignId) {
      markRunning.add(now());
    }

    @Override
    public long enrolPending(String campaignId, Instant sequenceStart) {
      enrolments.add(sequenceStart);
      // Like the real one: a lead once enrolled is no longer pending.
      return enrolledBefore.getAndSet(true) ? 0 : enrolsPerCall;
    }

    @Override
    public void broadcast(String campaignId, LeadCommand command) {
      if (!broadcastBefore.getAndSet(true)) {
        duringFirstBroadcast.run();
      }
      broadcasts.add(new Broadcast(command, now()));
    }

    List<LeadCommand> commands() {
      return broadcasts.stream().map(Broadcast::command).toList();
    }

    // These runs are neither recurring nor ever done: the lifecycle is what is under test.
    @Override
    public Instant nextOccurrence(String campaignId, Instant after) {
      return null;
    }

    @Override
    public void recordRun(String campaignId, Instant startedAt, long enrolled) {}

    @Override
    public boolean completeIfDone(String campaignId) {
      return false;
    }

    private Instant now() {
      return Instant.ofEpochMilli(clock.getAsLong());
    }
  }
}
