package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.workflows.testserver.TimerLockLog;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.GrpcCompression;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Functions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The benchmarks' baselines: a fresh Temporal test server of the kind the service embeds
 * (port-bound, reached over gRPC without compression, without its clock's lock log), with a worker
 * factory on it, for bare workflows started from as many callers as the enrolment activity uses.
 */
final class BareTemporal implements AutoCloseable {

  private final TestServer.PortBoundTestServer server;
  private final WorkflowServiceStubs stubs;
  final WorkerFactory workers;
  final WorkflowClient client;

  /**
   * @param realTime whether time skipping stays locked, as on the embedded default
   */
  BareTemporal(boolean realTime) {
    int port = RunningService.freePort();
    server = TestServer.createPortBoundServer(port, realTime);
    assertThat(TimerLockLog.switchOff(server)).isTrue();
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + port)
                .setGrpcCompression(GrpcCompression.NONE)
                .build());
    workers = WorkerFactory.newInstance(WorkflowClient.newInstance(stubs));
    client = workers.getWorkflowClient();
  }

  Worker worker(String taskQueue) {
    return workers.newWorker(taskQueue);
  }

  /**
   * Starts {@code count} workflows of {@code type} on {@code taskQueue} from {@code callers}
   * threads, with ids {@code <taskQueue>-<i>}, and returns once every start was accepted.
   *
   * @return the seconds the starts took
   */
  <T> double startAll(
      Class<T> type, String taskQueue, int count, int callers, Function<T, Functions.Proc> method)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    AtomicInteger failed = new AtomicInteger();
    long began = System.nanoTime();
    for (int i = 0; i < count; i++) {
      String id = taskQueue + "-" + i;
      pool.submit(
          () -> {
            try {
              T stub =
                  client.newWorkflowStub(
                      type,
                      WorkflowOptions.newBuilder()
                          .setWorkflowId(id)
                          .setTaskQueue(taskQueue)
                          .build());
              WorkflowClient.start(method.apply(stub));
            } catch (RuntimeException e) {
              failed.incrementAndGet();
            }
          });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(20, TimeUnit.MINUTES)).as("all starts done").isTrue();
    assertThat(failed.get()).as("failed bare starts").isZero();
    return (System.nanoTime() - began) / 1e9;
  }

  @Override
  public void close() {
    workers.shutdownNow();
    stubs.shutdownNow();
    server.close();
  }
}
