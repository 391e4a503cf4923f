package dev.sequencer.activities.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.activitiestest.ActivitiesIntegrationTest;
import dev.sequencer.storetest.bench.Figure;
import dev.sequencer.storetest.bench.Figures;
import dev.sequencer.workflows.TaskQueues;
import dev.sequencer.workflows.lead.LeadSequenceCarry;
import dev.sequencer.workflows.lead.LeadSequenceInput;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import dev.sequencer.workflows.lead.LeadSequenceWorkflowImpl;
import dev.sequencer.workflows.lead.LeadState;
import dev.sequencer.workflows.lead.PlannedStep;
import dev.sequencer.workflows.lead.PlanningActivities;
import dev.sequencer.workflows.lead.SendActivities;
import dev.sequencer.workflows.testserver.TimerLockLog;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Memory with {@value #DEFAULT_LEADS} leads asleep between their hook and their proof, twice: first
 * the worker alone (this module's beans, the real lead workflow on a worker with the default cache)
 * against Temporal's test server in a process of its own, as a worker meets a Temporal cluster —
 * the worker's heap, held to the goal; then everything in one process as the embedded default runs
 * it, the test server included, which holds every sleeping run — that process's heap and resident
 * set. The heap is read after full collections, the resident set from {@code /proc}.
 *
 * <p>Each lead starts from the state its workflow carries into a continued run once its hook went
 * out (plan, next step, reserved slot) and goes straight to sleep on the proof's timer: the real
 * workflow in the real state, without first sending 100,000 hooks, which would take over an hour on
 * two cores. Time skipping stays locked (no client waits for a result), so no timer fires.
 *
 * <p>{@code -Dsequencer.benchmark.asleepLeads=N} runs it with another number of leads. The test
 * server runs as the embedded default runs it, without the log of its clock's locks (which keeps an
 * entry for every workflow task it ever handled and made the time grow with the square of the
 * leads).
 */
@Timeout(900)
class AsleepLeadsMemoryBenchmarkTest extends ActivitiesIntegrationTest {

  static final int DEFAULT_LEADS = 100_000;

  private static final int LEADS =
      Integer.getInteger("sequencer.benchmark.asleepLeads", DEFAULT_LEADS);

  /** As many callers as the enrolment activity starts leads with. */
  private static final int STARTERS = 16;

  private static final long MB = 1024 * 1024;

  @Test
  void aHundredThousandLeadsAsleepBetweenSteps() throws Exception {
    workerAlone();
    embedded();
  }

  /**
   * The worker as it meets a Temporal cluster: the server in a process of its own, so this JVM's
   * heap is the worker's (its beans, its cache of at most 600 runs, its pollers).
   */
  private void workerAlone() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = Files.createTempFile("temporal-server", ".log");
    Process server = TemporalServerProcess.start(port, log);
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build());
    AsleepCounter asleep = new AsleepCounter();
    WorkerFactory workers =
        WorkerFactory.newInstance(
            WorkflowClient.newInstance(stubs),
            WorkerFactoryOptions.newBuilder().setWorkerInterceptors(asleep).build());
    try {
      register(workers.newWorker(TaskQueues.SEQUENCER, workerOptions()));
      workers.start();
      long idleHeap = usedHeapAfterGc();
      double seconds = sleepLeads(workers.getWorkflowClient(), asleep, Instant.now());
      long heap = usedHeapAfterGc();
      System.out.printf(
          "BENCHMARK asleep (worker alone, server in its own process) leads=%d seconds=%.1f"
              + " idle_heap_mb=%d heap_mb=%d%n",
          LEADS, seconds, idleHeap / MB, heap / MB);
      Figures.record(Figure.of("worker-heap-100k-asleep", (double) heap / MB, "MB", "<= 512"));
    } finally {
      workers.shutdownNow();
      workers.awaitTermination(30, TimeUnit.SECONDS);
      stubs.shutdownNow();
      server.destroyForcibly().waitFor();
      Files.deleteIfExists(log);
    }
  }

  /** Everything in this JVM as the embedded default runs it, the test server included. */
  private void embedded() throws Exception {
    AsleepCounter asleep = new AsleepCounter();
    TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder().setWorkerInterceptors(asleep).build())
                .build());
    // As the embedded default runs it: without the clock's lock log, which grows with every task.
    assertThat(TimerLockLog.switchOff(env)).isTrue();
    try {
      register(env.newWorker(TaskQueues.SEQUENCER, workerOptions()));
      env.start();
      long idleHeap = usedHeapAfterGc();
      double seconds =
          sleepLeads(
              env.getWorkflowClient(), asleep, Instant.ofEpochMilli(env.currentTimeMillis()));
      long heap = usedHeapAfterGc();
      OptionalLong rss = residentSetBytes();
      System.out.printf(
          "BENCHMARK asleep (embedded) leads=%d seconds=%.1f leads_per_second=%.0f idle_heap_mb=%d"
              + " heap_mb=%d per_lead_kb=%.1f rss_mb=%s%n",
          LEADS,
          seconds,
          LEADS / seconds,
          idleHeap / MB,
          heap / MB,
          (heap - idleHeap) / 1024.0 / LEADS,
          rss.isPresent() ? String.valueOf(rss.getAsLong() / MB) : "n/a");
      Figures.record(Figure.of("embedded-heap-100k-asleep", (double) heap / MB, "MB", null));
      if (rss.isPresent()) {
        Figures.record(Figure.of("process-rss", (double) rss.getAsLong() / MB, "MB", null));
      }
    } finally {
      env.close();
    }
  }

  /**
   * More workflow task pollers than the default, as in the enrolment activity's worker: the leads
   * get to sleep several times faster, and a poller costs a thread, not memory per lead.
   */
  private static WorkerOptions workerOptions() {
    return WorkerOptions.newBuilder()
        .setMaxConcurrentWorkflowTaskPollers(Integer.getInteger("sequencer.test.pollers", 16))
        .build();
  }

  private void register(Worker worker) {
    worker.registerWorkflowImplementationTypes(LeadSequenceWorkflowImpl.class);
    // Registered as the worker registers them, though no asleep lead calls them.
    worker.registerActivitiesImplementations(
        context.getBean(PlanningActivities.class), context.getBean(SendActivities.class));
  }

  /** Puts every lead to sleep on its proof's timer; returns the seconds it took. */
  private static double sleepLeads(WorkflowClient client, AsleepCounter asleep, Instant hookSent)
      throws InterruptedException {
    long began = System.nanoTime();
    startAsleep(client, hookSent);
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (asleep.count() < LEADS) {
      assertThat(System.nanoTime()).as("%d leads asleep", asleep.count()).isLessThan(deadline);
      Thread.sleep(100);
    }
    double seconds = (System.nanoTime() - began) / 1e9;
    for (int i = 0; i < LEADS; i += Math.max(1, LEADS / 10)) {
      assertAsleepOnTheProof(client, i);
    }
    asleep.forget();
    return seconds;
  }

  /** Starts every lead from {@value #STARTERS} callers; returns once all starts are accepted. */
  private static void startAsleep(WorkflowClient client, Instant hookSent)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(STARTERS);
    AtomicInteger failed = new AtomicInteger();
    for (int i = 0; i < LEADS; i++) {
      int lead = i;
      pool.submit(
          () -> {
            try {
              LeadSequenceWorkflow stub =
                  client.newWorkflowStub(
                      LeadSequenceWorkflow.class,
                      WorkflowOptions.newBuilder()
                          .setWorkflowId(workflowId(lead))
                          .setTaskQueue(TaskQueues.SEQUENCER)
                          .build());
              WorkflowClient.start(stub::run, afterTheHook(lead, hookSent));
            } catch (RuntimeException e) {
              failed.incrementAndGet();
            }
          });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.MINUTES)).as("all starts accepted").isTrue();
    assertThat(failed.get()).as("failed starts").isZero();
  }

  /**
   * What a lead's run carries on once its hook went out: the proof three days on, the fomo seven,
   * the proof's slot already held, so the run's first command is the proof's timer.
   */
  private static LeadSequenceInput afterTheHook(int lead, Instant hookSent) {
    Instant proof = hookSent.plus(Duration.ofDays(3));
    List<PlannedStep> plan =
        List.of(
            new PlannedStep(0, "hook", 0, hookSent, "sent", null),
            new PlannedStep(1, "proof", 3, proof, "scheduled", null),
            new PlannedStep(2, "fomo", 7, hookSent.plus(Duration.ofDays(7)), "scheduled", null));
    LeadSequenceCarry carry =
        new LeadSequenceCarry(plan, 1, false, false, hookSent, hookSent, 0, false, proof, true);
    return new LeadSequenceInput(
        "org-asleep", "asleep", "l" + lead, lead + 1L, hookSent, carry, null);
  }

  private static String workflowId(int lead) {
    return LeadSequenceWorkflow.workflowId("asleep", "l" + lead);
  }

  private static void assertAsleepOnTheProof(WorkflowClient client, int lead) {
    var state = client.newWorkflowStub(LeadSequenceWorkflow.class, workflowId(lead)).state();
    assertThat(state.status()).isEqualTo(LeadState.ACTIVE);
    assertThat(state.nextStep()).isEqualTo(1);
    List<HistoryEvent> events = client.fetchHistory(workflowId(lead)).getEvents();
    assertThat(events.get(events.size() - 1).hasTimerStartedEventAttributes())
        .as("lead %d's last event is the proof's timer", lead)
        .isTrue();
  }

  /**
   * Used heap after full collections; several, as one may leave what reference processing frees
   * only for the next.
   */
  private static long usedHeapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      memory.gc();
      Thread.sleep(200);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** The process's resident set ({@code VmRSS}), where Linux shows it. */
  private static OptionalLong residentSetBytes() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return OptionalLong.empty();
    }
    return Files.readAllLines(status).stream()
        .filter(line -> line.startsWith("VmRSS:"))
        .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
        .findFirst();
  }
}
