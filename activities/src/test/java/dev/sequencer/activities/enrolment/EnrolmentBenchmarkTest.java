package dev.sequencer.activities.enrolment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.activitiestest.ActivitiesIntegrationTest;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.testing.CampaignBuilder;
import dev.sequencer.storetest.bench.Figure;
import dev.sequencer.storetest.bench.Figures;
import dev.sequencer.workflows.campaign.CampaignRunWorkflow;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 100,000-lead campaign run on Temporal's time-skipping test server, with the real campaign run
 * workflow and the real enrolment activity against the embedded PostgreSQL: every lead gets exactly
 * one workflow, every lead ends active, and the campaign run's history stays small.
 *
 * <p>{@code -Dsequencer.benchmark.leads=N} runs it with another number of leads.
 */
@Timeout(900)
class EnrolmentBenchmarkTest extends ActivitiesIntegrationTest {

  private static final int LEADS = Integer.getInteger("sequencer.benchmark.leads", 100_000);
  private static final int MAX_HISTORY_EVENTS = 10_000;

  /** Bare starts of the baseline: a rate, so fewer than the leads will do. */
  private static final int BARE_STARTS =
      Integer.getInteger("sequencer.benchmark.bareStarts", 20_000);

  private static final long MAX_HISTORY_BYTES = 2L * 1024 * 1024;

  private String campaignId;

  @AfterEach
  void dropCampaign() {
    if (campaignId != null) {
      // The shared test database should not carry 100,000 leads into the other test classes.
      jdbc.sql("delete from campaigns where id = ?").param(campaignId).update();
    }
  }

  @Test
  void enrolsAHundredThousandLeadsWithASmallCampaignHistory() throws InterruptedException {
    Campaign campaign =
        fixtures()
            .save(
                CampaignBuilder.email(fixtures().organization())
                    .status(CampaignStatus.SCHEDULED)
                    .build());
    campaignId = campaign.id();
    EnrolmentHarness.insertPendingLeads(jdbc, campaign, LEADS);
    LeadQueries leads = context.getBean(LeadQueries.class);
    assertThat(leads.count(campaignId, LeadStatus.PENDING)).isEqualTo(LEADS);

    // The baseline first, in this run, on a test server of its own like the one below: bare starts
    // of empty workflows from as many callers as the enrolment activity uses. A server that already
    // held 100,000 of them would slow the leads' run down, so it gets its own.
    double bareStartsPerSecond;
    try (EnrolmentHarness bare =
        new EnrolmentHarness(
            context,
            client -> EnrolmentHarness.enrolmentActivities(context, client, Clock.systemUTC()))) {
      bareStartsPerSecond = bare.startBare(BARE_STARTS, 16);
    }

    try (EnrolmentHarness temporal =
        new EnrolmentHarness(
            context,
            client -> EnrolmentHarness.enrolmentActivities(context, client, Clock.systemUTC()))) {
      long began = System.nanoTime();
      CampaignRunWorkflow run = temporal.startCampaign(campaignId);
      EnrolmentHarness.await(
          "the campaign run to enrol " + LEADS + " leads",
          Duration.ofMinutes(10),
          () -> run.state().enrolled() == LEADS);
      double seconds = (System.nanoTime() - began) / 1e9;
      EnrolmentHarness.await(
          "every lead workflow to run",
          Duration.ofMinutes(4),
          () -> temporal.runs.total() >= LEADS);
      double allRan = (System.nanoTime() - began) / 1e9;

      EnrolmentHarness.HistoryFigures history =
          temporal.history(CampaignRunWorkflow.workflowId(campaignId));
      System.out.printf(
          "BENCHMARK enrolment leads=%d seconds=%.1f leads_per_second=%.0f history_events=%d"
              + " history_bytes=%d history_json_chars=%d history_runs=%d"
              + " all_lead_workflows_ran_seconds=%.1f%n",
          LEADS,
          seconds,
          LEADS / seconds,
          history.events(),
          history.bytes(),
          history.jsonChars(),
          history.runs(),
          allRan);
      System.out.println("BENCHMARK campaign history event types " + history.eventTypes());
      Figures.record(
          Figure.against(
              "enrolment-100k-leads", LEADS / seconds, "leads/s", bareStartsPerSecond, ">= 0.8"));
      Figures.record(
          Figure.of("campaign-run-history-100k-leads", history.events(), "events", "<= 10000"));
      Figures.record(
          Figure.of("campaign-run-history-100k-leads-size", history.bytes() / 1024.0, "KB", null));

      assertThat(history.events()).isLessThan(MAX_HISTORY_EVENTS);
      assertThat(history.bytes()).isLessThan(MAX_HISTORY_BYTES);
      assertThat(history.jsonChars()).isLessThan(MAX_HISTORY_BYTES);
      assertThat(run.state().phase()).isEqualTo("running");
      assertThat(
              context.getBean(CampaignRepository.class).findById(campaignId).orElseThrow().status())
          .isEqualTo(CampaignStatus.RUNNING);

      // Exactly one accepted start and one run per lead, each with its own lead's input.
      assertThat(temporal.starts.refusedTotal()).isZero();
      assertThat(temporal.starts.accepted().keySet().stream().filter(id -> id.startsWith("lead-")))
          .hasSize(LEADS);
      assertThat(temporal.starts.acceptedTotal()).isEqualTo(LEADS + 1);
      assertThat(temporal.runs.total()).isEqualTo(LEADS);
      assertThat(temporal.runs.byWorkflowId()).hasSize(LEADS);
      assertThat(temporal.runs.byWorkflowId().values())
          .extracting(AtomicInteger::get)
          .containsOnly(1);
      assertThat(temporal.runs.mismatches()).isEmpty();
    }

    // Every lead is active with its own workflow id, and was enrolled once on its timeline.
    assertThat(leads.countsByStatus(campaignId))
        .containsEntry(LeadStatus.ACTIVE, (long) LEADS)
        .containsEntry(LeadStatus.PENDING, 0L);
    assertThat(
            jdbc.sql(
                    "select count(*) from leads where campaign_id = ? and status = 'ACTIVE'"
                        + " and variant = 'A' and workflow_id = 'lead-' || campaign_id || '-' || lead_id")
                .param(campaignId)
                .query(Long.class)
                .single())
        .isEqualTo(LEADS);
    Map<String, Object> timeline =
        jdbc.sql(
                "select count(*) as events, count(distinct lead_pk) as leads from lead_events"
                    + " where campaign_id = ? and event = 'enrolled'")
            .param(campaignId)
            .query()
            .singleRow();
    assertThat(timeline).containsEntry("events", (long) LEADS).containsEntry("leads", (long) LEADS);
  }
}
