package dev.sequencer.workflows.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.workflows.TaskQueues;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A mailbox's poller on a time-skipping test server, against a scripted mailbox: the pauses between
 * reads (interval, doubled per failure in a row, capped) are worked out by hand in each test.
 */
class MailboxPollerWorkflowTest {

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final List<Long> readAt = new CopyOnWriteArrayList<>();
  private IntFunction<MailboxPoll> script;
  private long start;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.MAILBOXES);
    worker.registerWorkflowImplementationTypes(MailboxPollerWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        (MailboxActivities)
            mailbox -> {
              readAt.add(env.currentTimeMillis());
              return script.apply(readAt.size());
            });
    client = env.getWorkflowClient();
    env.start();
    start = env.currentTimeMillis();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void failedReadsBackOffDoublingAndAReadThatSucceedsGoesBackToTheInterval() {
    script =
        n ->
            switch (n) {
              case 1, 2 -> MailboxPoll.failed("LOGIN failed");
              case 3 -> MailboxPoll.failed("Connection refused");
              case 4 -> MailboxPoll.read(2);
              default -> MailboxPoll.gone();
            };

    run(
        new MailboxPollerInput(
            "imap/a@acme.test", Duration.ofSeconds(5), Duration.ofMinutes(1), 0, null));

    // Pauses after each read: 5 s doubled once per failure in a row (10, 20, 40), then 5 s again.
    assertThat(secondsSinceFirstRead()).containsExactly(0L, 10L, 30L, 70L, 75L);
  }

  @Test
  void theBackOffStopsAtItsCap() {
    script = n -> n <= 4 ? MailboxPoll.failed("LOGIN failed") : MailboxPoll.gone();

    run(
        new MailboxPollerInput(
            "imap/b@acme.test", Duration.ofSeconds(5), Duration.ofSeconds(15), 0, null));

    // 10, then 20 capped to 15, 15, 15.
    assertThat(secondsSinceFirstRead()).containsExactly(0L, 10L, 25L, 40L, 55L);
  }

  @Test
  void aLongRunningPollerContinuesAsNewAndKeepsReading() {
    int reads = MailboxPollerWorkflowImpl.READS_PER_RUN + 5;
    script = n -> n <= reads ? MailboxPoll.read(0) : MailboxPoll.gone();

    String firstRun =
        run(
            new MailboxPollerInput(
                "imap/c@acme.test", Duration.ofSeconds(1), Duration.ofSeconds(1), 0, null));

    assertThat(readAt).hasSize(reads + 1);
    WorkflowExecutionStatus status =
        client
            .getWorkflowServiceStubs()
            .blockingStub()
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace(client.getOptions().getNamespace())
                    .setExecution(
                        io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                            .setWorkflowId(MailboxPollerWorkflow.workflowId("imap/c@acme.test"))
                            .setRunId(firstRun))
                    .build())
            .getWorkflowExecutionInfo()
            .getStatus();
    assertThat(status)
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW);
  }

  @Test
  void aSecondStartOfTheSameMailboxIsRefused() {
    script = n -> MailboxPoll.read(0);
    MailboxPollerInput input =
        new MailboxPollerInput(
            "imap/d@acme.test", Duration.ofSeconds(5), Duration.ofMinutes(1), 0, null);
    WorkflowClient.start(stub(input.mailbox())::poll, input);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> WorkflowClient.start(stub(input.mailbox())::poll, input))
        .isInstanceOf(io.temporal.client.WorkflowExecutionAlreadyStarted.class);
  }

  /** Runs the poller to its end and returns its first run's id. */
  private String run(MailboxPollerInput input) {
    MailboxPollerWorkflow poller = stub(input.mailbox());
    String runId = WorkflowClient.start(poller::poll, input).getRunId();
    WorkflowStub.fromTyped(poller).getResult(Void.class);
    return runId;
  }

  private MailboxPollerWorkflow stub(String mailbox) {
    return client.newWorkflowStub(
        MailboxPollerWorkflow.class,
        WorkflowOptions.newBuilder()
            .setTaskQueue(TaskQueues.MAILBOXES)
            .setWorkflowId(MailboxPollerWorkflow.workflowId(mailbox))
            .build());
  }

  private List<Long> secondsSinceFirstRead() {
    List<Long> seconds = new ArrayList<>();
    long first = readAt.get(0);
    readAt.forEach(at -> seconds.add(Math.round((at - first) / 1000.0)));
    assertThat(Instant.ofEpochMilli(first)).isAfterOrEqualTo(Instant.ofEpochMilli(start));
    return seconds;
  }
}
