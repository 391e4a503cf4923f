package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.storetest.bench.Figure;
import dev.sequencer.storetest.bench.Figures;
import dev.sequencer.workflows.campaign.CampaignRunWorkflow;
import io.temporal.api.history.v1.History;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Enumeration;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Enrolment as a caller sees it: {@value #LEADS} leads imported over HTTP in one streamed CSV
 * request, then {@code POST .../start}, until every lead's workflow has started, on a service of
 * its own (the embedded default: Temporal's test server in real time, PostgreSQL, GreenMail). The
 * campaign starts in 30 days, so the leads are enrolled at once and then sleep until their hook.
 *
 * <p>The baseline is measured first in the same run: bare {@code WorkflowClient.start} of as many
 * empty workflows from as many callers as the enrolment activity uses, on a fresh server of the
 * same kind (port-bound, without its clock's lock log, reached over gRPC), with a worker running
 * them. The service's own server is not used for it: one that already held 100,000 workflows would
 * slow whichever side came second.
 *
 * <p>{@code -Dsequencer.benchmark.leads=N} runs it with another number of leads.
 */
@Timeout(1500)
class EnrolmentBenchmarkTest {

  static final int LEADS = Integer.getInteger("sequencer.benchmark.leads", 100_000);

  /** As many callers as the enrolment activity starts leads with. */
  private static final int STARTERS = 16;

  private static final int MAX_HISTORY_EVENTS = 10_000;

  @Test
  void aHundredThousandLeadsImportedAsCsvAndStarted() throws Exception {
    double bare = bareStartsPerSecond();

    RunningService service = RunningService.start();
    try {
      String campaign = service.createOpenEmailCampaign("Enrolment benchmark");
      JdbcClient jdbc = service.bean(JdbcClient.class);

      long began = System.nanoTime();
      var imported =
          service.send(
              service
                  .request("/api/v1/campaigns/" + campaign + "/leads", RunningService.KEY)
                  .header("Content-Type", "text/csv")
                  .POST(HttpRequest.BodyPublishers.ofInputStream(EnrolmentBenchmarkTest::csv)));
      double importSeconds = (System.nanoTime() - began) / 1e9;
      assertThat(imported.status()).isEqualTo(200);
      assertThat(imported.json().get("accepted").asInt()).isEqualTo(LEADS);
      assertThat(imported.json().get("rejected").size()).isZero();

      Instant startAt = Instant.now().plus(Duration.ofDays(30));
      assertThat(
              service
                  .post(
                      "/api/v1/campaigns/" + campaign + "/start",
                      "{\"start_at\": \"" + startAt + "\"}")
                  .status())
          .isEqualTo(202);
      long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
      long active;
      while ((active = activeLeads(jdbc, campaign)) < LEADS) {
        assertThat(System.nanoTime())
            .as("leads enrolled: %d of %d", active, LEADS)
            .isLessThan(deadline);
        Thread.sleep(100);
      }
      double seconds = (System.nanoTime() - began) / 1e9;

      long[] history = history(service.bean(WorkflowClient.class), campaign);
      long workflows =
          jdbc.sql(
                  "select count(distinct workflow_id) from leads"
                      + " where campaign_id = ? and workflow_id is not null")
              .param(campaign)
              .query(Long.class)
              .single();
      System.out.printf(
          "BENCHMARK enrolment leads=%d import_seconds=%.1f seconds=%.1f leads_per_second=%.0f"
              + " bare_starts_per_second=%.0f ratio=%.3f history_events=%d history_bytes=%d%n",
          LEADS,
          importSeconds,
          seconds,
          LEADS / seconds,
          bare,
          LEADS / seconds / bare,
          history[0],
          history[1]);
      Figures.record(
          Figure.against("enrolment-100k-leads", LEADS / seconds, "leads/s", bare, ">= 0.8"));
      Figures.record(Figure.of("csv-import-100k-rows", LEADS / importSeconds, "rows/s", null));
      Figures.record(
          Figure.of("campaign-run-history-100k-leads", history[0], "events", "<= 10000"));
      Figures.record(
          Figure.of("campaign-run-history-100k-leads-size", history[1] / 1024.0, "KB", null));

      assertThat(workflows).as("one workflow per lead").isEqualTo(LEADS);
      assertThat(history[0]).isLessThan(MAX_HISTORY_EVENTS);
      assertThat(
              jdbc.sql(
                      "select count(*) from lead_events where campaign_id = ? and event = 'enrolled'")
                  .param(campaign)
                  .query(Long.class)
                  .single())
          .isEqualTo(LEADS);
      assertThat(service.sentMessages(campaign)).as("nothing sent before the start").isZero();
    } finally {
      service.context.close();
    }
  }

  private static long activeLeads(JdbcClient jdbc, String campaign) {
    return jdbc.sql("select count(*) from leads where campaign_id = ? and status = 'ACTIVE'")
        .param(campaign)
        .query(Long.class)
        .single();
  }

  /** Events and bytes of every run of the campaign's run, continued runs included. */
  private static long[] history(WorkflowClient client, String campaign) {
    String workflowId = CampaignRunWorkflow.workflowId(campaign);
    long events = 0;
    long bytes = 0;
    WorkflowExecutionHistory run = client.fetchHistory(workflowId);
    while (run != null) {
      History history = run.getHistory();
      events += history.getEventsCount();
      bytes += history.getSerializedSize();
      String previous =
          history
              .getEvents(0)
              .getWorkflowExecutionStartedEventAttributes()
              .getContinuedExecutionRunId();
      run = previous.isEmpty() ? null : client.fetchHistory(workflowId, previous);
    }
    return new long[] {events, bytes};
  }

  /** Bare starts of empty workflows per second, with a worker running them. */
  private static double bareStartsPerSecond() throws InterruptedException {
    try (BareTemporal bare = new BareTemporal(true)) {
      bare.worker("bare-start").registerWorkflowImplementationTypes(EmptyWorkflow.Impl.class);
      bare.workers.start();
      return LEADS
          / bare.startAll(EmptyWorkflow.class, "bare-start", LEADS, STARTERS, stub -> stub::run);
    }
  }

  /** The CSV, generated row by row as the request body is read. */
  static InputStream csv() {
    InputStream header =
        new ByteArrayInputStream(
            "lead_id,email,first_name,company,timezone,attributes.city\n"
                .getBytes(StandardCharsets.UTF_8));
    Enumeration<InputStream> rows =
        new Enumeration<>() {
          int next;

          @Override
          public boolean hasMoreElements() {
            return next < LEADS;
          }

          @Override
          public InputStream nextElement() {
            if (next >= LEADS) {
              throw new NoSuchElementException();
            }
            int i = next++;
            String row =
                "big-"
                    + i
                    + ",lead"
                    + i
                    + "@example.com,Lead "
                    + i
                    + ",Company "
                    + (i % 977)
                    + ",America/Chicago,City "
                    + (i % 31)
                    + "\n";
            return new ByteArrayInputStream(row.getBytes(StandardCharsets.UTF_8));
          }
        };
    return new SequenceInputStream(header, new SequenceInputStream(rows));
  }
}
