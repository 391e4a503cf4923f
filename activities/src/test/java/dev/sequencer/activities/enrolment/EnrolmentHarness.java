package dev.sequencer.activities.enrolment;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.workflows.TaskQueues;
import dev.sequencer.workflows.campaign.AnalysisActivities;
import dev.sequencer.workflows.campaign.CampaignRunInput;
import dev.sequencer.workflows.campaign.CampaignRunWorkflow;
import dev.sequencer.workflows.campaign.CampaignRunWorkflowImpl;
import dev.sequencer.workflows.campaign.EnrolmentActivities;
import dev.sequencer.workflows.lead.LeadSequenceInput;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import dev.sequencer.workflows.testserver.TimerLockLog;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Temporal's time-skipping test server with one worker on the Sequencer task queue: the real {@link
 * CampaignRunWorkflowImpl}, the enrolment activities under test, the real analysis activities the
 * campaign run also calls, and {@link CountingLeadSequence} for the lead workflows, so every
 * enrolled lead gets a real workflow start but nothing is planned or sent.
 */
final class EnrolmentHarness implements AutoCloseable {

  /** Figures of a workflow's history over all runs of its continue-as-new chain. */
  record HistoryFigures(
      int runs, int events, long bytes, long jsonChars, Map<String, Integer> eventTypes) {}

  final TestWorkflowEnvironment env;
  final WorkflowClient client;
  final StartCounter starts = new StartCounter();
  final CountingLeadSequence.Runs runs = new CountingLeadSequence.Runs();

  /**
   * @param context where the campaign run's other activities (the A/B analysis) come from
   * @param activities the enrolment activities under test, on the test server's client
   */
  EnrolmentHarness(
      ApplicationContext context, Function<WorkflowClient, EnrolmentActivities> activities) {
    this(context, activities, null);
  }

  /**
   * @param leads the lead workflows' implementation, or null for {@link CountingLeadSequence}
   */
  EnrolmentHarness(
      ApplicationContext context,
      Function<WorkflowClient, EnrolmentActivities> activities,
      io.temporal.workflow.Functions.Func<LeadSequenceWorkflow> leads) {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder().setInterceptors(starts).build())
                .build());
    // As the embedded default runs it: without the clock's lock log, which grows with every task.
    TimerLockLog.switchOff(env);
    client = env.getWorkflowClient();
    // More workflow task pollers than the default: 100,000 one-task lead workflows go through them.
    Worker worker =
        env.newWorker(
            TaskQueues.SEQUENCER,
            WorkerOptions.newBuilder()
                .setMaxConcurrentWorkflowTaskPollers(
                    Integer.getInteger("sequencer.test.pollers", 16))
                .build());
    worker.registerWorkflowImplementationTypes(
        CampaignRunWorkflowImpl.class, BareWorkflow.Empty.class);
    worker.registerWorkflowImplementationFactory(
        LeadSequenceWorkflow.class, leads != null ? leads : () -> new CountingLeadSequence(runs));
    worker.registerActivitiesImplementations(
        activities.apply(client), context.getBean(AnalysisActivities.class));
    env.start();
  }

  /**
   * The real enrolment activity on the test server's client: each constructor argument is the
   * client, one of {@code overrides} of its type, or the context's bean (the activity's constructor
   * is resolved by type, as Spring does, so the tests do not depend on its order).
   */
  static EnrolmentActivitiesImpl enrolmentActivities(
      ApplicationContext context, WorkflowClient client, Object... overrides) {
    Constructor<?> constructor = EnrolmentActivitiesImpl.class.getConstructors()[0];
    Object[] arguments =
        Arrays.stream(constructor.getParameterTypes())
            .map(
                type ->
                    type == WorkflowClient.class
                        ? client
                        : type == java.time.Duration.class
                            ? LeadSequenceInput.DEFAULT_SEND_TIMEOUT
                            : Arrays.stream(overrides)
                                .filter(type::isInstance)
                                .findFirst()
                                .orElseGet(() -> context.getBean(type)))
            .toArray();
    try {
      return (EnrolmentActivitiesImpl) constructor.newInstance(arguments);
    } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("could not construct the enrolment activities", e);
    }
  }

  /** Starts the campaign's run workflow as the API does, with its start due now. */
  CampaignRunWorkflow startCampaign(String campaignId) {
    CampaignRunWorkflow run =
        client.newWorkflowStub(
            CampaignRunWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(CampaignRunWorkflow.workflowId(campaignId))
                .setTaskQueue(TaskQueues.SEQUENCER)
                .build());
    WorkflowClient.start(
        run::run,
        new CampaignRunInput(campaignId, Instant.ofEpochMilli(env.currentTimeMillis()), 0));
    return client.newWorkflowStub(
        CampaignRunWorkflow.class, CampaignRunWorkflow.workflowId(campaignId));
  }

  /**
   * The baseline of enrolment: starts {@code count} empty workflows with {@code threads} callers,
   * as the enrolment activity starts its leads, and returns the starts per second.
   */
  double startBare(int count, int threads) throws InterruptedException {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    java.util.concurrent.atomic.AtomicInteger failed =
        new java.util.concurrent.atomic.AtomicInteger();
    long began = System.nanoTime();
    for (int i = 0; i < count; i++) {
      String id = "bare-" + i;
      pool.submit(
          () -> {
            try {
              WorkflowClient.start(
                  client.newWorkflowStub(
                          BareWorkflow.class,
                          WorkflowOptions.newBuilder()
                              .setWorkflowId(id)
                              .setTaskQueue(TaskQueues.SEQUENCER)
                              .build())
                      ::run);
            } catch (RuntimeException e) {
              failed.incrementAndGet();
            }
          });
    }
    pool.shutdown();
    if (!pool.awaitTermination(20, java.util.concurrent.TimeUnit.MINUTES) || failed.get() > 0) {
      throw new AssertionError(failed.get() + " bare starts failed or the starts took too long");
    }
    return count / ((System.nanoTime() - began) / 1e9);
  }

  /** Sums the history of every run of the workflow's chain, newest run first. */
  HistoryFigures history(String workflowId) {
    int runCount = 0;
    int events = 0;
    long bytes = 0;
    long jsonChars = 0;
    Map<String, Integer> eventTypes = new TreeMap<>();
    WorkflowExecutionHistory history = client.fetchHistory(workflowId);
    while (history != null) {
      runCount++;
      history
          .getHistory()
          .getEventsList()
          .forEach(
              event ->
                  eventTypes.merge(
                      event.getEventType().name().replace("EVENT_TYPE_", ""), 1, Integer::sum));
      events += history.getHistory().getEventsCount();
      bytes += history.getHistory().getSerializedSize();
      jsonChars += history.toJson(false).length();
      HistoryEvent first = history.getHistory().getEvents(0);
      String previous =
          first.getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
      history = previous.isEmpty() ? null : client.fetchHistory(workflowId, previous);
    }
    return new HistoryFigures(runCount, events, bytes, jsonChars, eventTypes);
  }

  /**
   * Inserts {@code count} pending leads with email addresses, lead ids {@code l1} to {@code
   * l<count>} in id order, 10,000 per statement.
   */
  static void insertPendingLeads(JdbcClient jdbc, Campaign campaign, int count) {
    for (int from = 1; from <= count; from += 10_000) {
      int to = Math.min(count, from + 10_000 - 1);
      jdbc.sql(
              """
              insert into leads (organization_id, campaign_id, lead_id, email, first_name,
                                 last_name, company, title, timezone, attributes, status,
                                 created_at, updated_at)
              select ?, ?, 'l' || g, 'lead' || g || '@example.com', 'Lead' || g, 'Tester',
                     'Acme', 'CTO', 'UTC', '{}', 'PENDING', now(), now()
              from generate_series(?, ?) as g order by g
              """)
          .params(campaign.organizationId(), campaign.id(), from, to)
          .update();
    }
  }

  /** The leads of the campaign in id order (the order enrolment pages them in). */
  static List<LeadRow> leadRows(JdbcClient jdbc, String campaignId) {
    return jdbc.sql(
            "select id, lead_id, status, variant, workflow_id from leads where campaign_id = ?"
                + " order by id")
        .param(campaignId)
        .query(
            (rs, i) ->
                new LeadRow(
                    rs.getLong("id"),
                    rs.getString("lead_id"),
                    rs.getString("status"),
                    rs.getString("variant"),
                    rs.getString("workflow_id")))
        .list();
  }

  record LeadRow(long id, String leadId, String status, String variant, String workflowId) {}

  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  @Override
  public void close() {
    env.close();
  }
}
