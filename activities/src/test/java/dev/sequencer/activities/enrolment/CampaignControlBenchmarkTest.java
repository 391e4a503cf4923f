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
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pause, resume and cancel of a big campaign, in the two parts they are made of.
 *
 * <p>The commit: the campaign's change as the API makes it (campaign row locked, campaign and every
 * lead changed in one transaction), on a campaign of {@value #COMMIT_LEADS} leads. From it on every
 * lead shows the change and no send can go out.
 *
 * <p>The broadcast: the real campaign run and enrolment activity passing a resume and a cancel on
 * to {@code sequencer.benchmark.leads} (default {@value #DEFAULT_SIGNAL_LEADS}) running lead
 * workflows, against bare signals from as many callers to the same workflows in the same run.
 * Resume is measured at its worst: every lead's step fell due during the pause, so every lead waits
 * for the signal.
 */
@Timeout(1800)
class CampaignControlBenchmarkTest extends ActivitiesIntegrationTest {

  static final int COMMIT_LEADS = 100_000;
  static final int DEFAULT_SIGNAL_LEADS = 10_000;

  private static final int SIGNAL_LEADS =
      Integer.getInteger("sequencer.benchmark.leads", DEFAULT_SIGNAL_LEADS);

  private final List<String> campaignIds = new ArrayList<>();

  @AfterEach
  void dropCampaigns() {
    for (String id : campaignIds) {
      jdbc.sql("delete from campaigns where id = ?").param(id).update();
    }
  }

  @Test
  void theCommitOfAHundredThousandLeadsTakesAboutASecond() {
    Campaign campaign = campaign(CampaignStatus.RUNNING);
    EnrolmentHarness.insertPendingLeads(jdbc, campaign, COMMIT_LEADS);
    jdbc.sql(
            "update leads set status = 'ACTIVE', workflow_id = 'lead-' || campaign_id || '-'"
                + " || lead_id where campaign_id = ?")
        .param(campaign.id())
        .update();
    LeadQueries leads = context.getBean(LeadQueries.class);

    double pause =
        commit(
            campaign.id(),
            CampaignStatus.PAUSED,
            () -> leads.pauseWithCampaign(campaign.id(), "campaign paused", Instant.now()));
    assertThat(leads.countsByStatus(campaign.id()))
        .containsEntry(LeadStatus.PAUSED, (long) COMMIT_LEADS);
    double resume =
        commit(
            campaign.id(),
            CampaignStatus.RUNNING,
            () -> leads.resumeWithCampaign(campaign.id(), "campaign resumed", Instant.now()));
    assertThat(leads.countsByStatus(campaign.id()))
        .containsEntry(LeadStatus.ACTIVE, (long) COMMIT_LEADS);
    double cancel =
        commit(campaign.id(), CampaignStatus.CANCELLED, () -> leads.cancelOpen(campaign.id()));
    assertThat(leads.countsByStatus(campaign.id()))
        .containsEntry(LeadStatus.CANCELLED, (long) COMMIT_LEADS);

    Figures.record(Figure.of("campaign-pause-100k-leads-commit", pause, "s", "<= 60"));
    Figures.record(Figure.of("campaign-resume-100k-leads-commit", resume, "s", "<= 60"));
    Figures.record(Figure.of("campaign-cancel-100k-leads-commit", cancel, "s", "<= 60"));
  }

  @Test
  void resumeAndCancelReachEveryRunningLeadAsFastAsBareSignals() throws Exception {
    Campaign campaign = campaign(CampaignStatus.SCHEDULED);
    EnrolmentHarness.insertPendingLeads(jdbc, campaign, SIGNAL_LEADS);
    LeadQueries leads = context.getBean(LeadQueries.class);
    WaitingLeadSequence.Reached reached = new WaitingLeadSequence.Reached();

    try (EnrolmentHarness temporal =
        new EnrolmentHarness(
            context,
            client -> EnrolmentHarness.enrolmentActivities(context, client, Clock.systemUTC()),
            () -> new WaitingLeadSequence(reached))) {
      CampaignRunWorkflow run = temporal.startCampaign(campaign.id());
      EnrolmentHarness.await(
          "every lead to be enrolled and its workflow to run",
          Duration.ofMinutes(15),
          () -> run.state().enrolled() == SIGNAL_LEADS && reached.started.size() == SIGNAL_LEADS);

      double bare = SIGNAL_LEADS / signalEachDirectly(temporal, reached);

      commit(
          campaign.id(),
          CampaignStatus.PAUSED,
          () -> leads.pauseWithCampaign(campaign.id(), "campaign paused", Instant.now()));
      // Every lead's step fell due while paused and waits.
      jdbc.sql(
              "insert into lead_steps (lead_pk, position, type, status, scheduled_at, reason)"
                  + " select id, 0, 'hook', 'scheduled', null, 'paused' from leads"
                  + " where campaign_id = ?"
                  + " on conflict (lead_pk, position) do update"
                  + " set scheduled_at = null, reason = 'paused'")
          .param(campaign.id())
          .update();
      long resumeBegan = System.nanoTime();
      commit(
          campaign.id(),
          CampaignStatus.RUNNING,
          () -> leads.resumeWithCampaign(campaign.id(), "campaign resumed", Instant.now()));
      run.resume();
      EnrolmentHarness.await(
          "the resume to reach every lead",
          Duration.ofMinutes(15),
          () -> reached.resumed.size() == SIGNAL_LEADS);
      double resume = SIGNAL_LEADS / ((System.nanoTime() - resumeBegan) / 1e9);

      long cancelBegan = System.nanoTime();
      commit(campaign.id(), CampaignStatus.CANCELLED, () -> leads.cancelOpen(campaign.id()));
      run.cancel("benchmark");
      EnrolmentHarness.await(
          "the cancel to reach every lead",
          Duration.ofMinutes(15),
          () -> reached.stopped.size() == SIGNAL_LEADS);
      double cancel = SIGNAL_LEADS / ((System.nanoTime() - cancelBegan) / 1e9);

      Figures.record(
          Figure.against("campaign-resume-broadcast", resume, "leads/s", bare, ">= 0.8"));
      Figures.record(
          Figure.against("campaign-cancel-broadcast", cancel, "leads/s", bare, ">= 0.8"));
      // What a 100,000-lead campaign's broadcast takes at this rate, every lead waiting.
      Figures.record(
          Figure.of(
              "campaign-resume-100k-leads-reach-estimated", COMMIT_LEADS / resume, "s", "<= 60"));
      assertThat(reached.resumed).hasSize(SIGNAL_LEADS);
      assertThat(reached.stopped).hasSize(SIGNAL_LEADS);
    }
  }

  private Campaign campaign(CampaignStatus status) {
    Campaign campaign =
        fixtures().save(CampaignBuilder.email(fixtures().organization()).status(status).build());
    campaignIds.add(campaign.id());
    return campaign;
  }

  /**
   * The campaign's change as the API commits it — its row locked, its leads in the same commit —
   * and the seconds it took.
   */
  private double commit(String campaignId, CampaignStatus status, Supplier<Integer> leads) {
    CampaignRepository campaigns = context.getBean(CampaignRepository.class);
    long began = System.nanoTime();
    context
        .getBean(TransactionTemplate.class)
        .execute(
            tx -> {
              campaigns.lockStatus(campaignId).orElseThrow();
              campaigns.updateStatus(campaignId, status.name(), null);
              return leads.get();
            });
    return (System.nanoTime() - began) / 1e9;
  }

  /**
   * Signals every lead's workflow straight from a pool as wide as the broadcast's, and returns the
   * seconds until the last one has taken it.
   */
  private static double signalEachDirectly(
      EnrolmentHarness temporal, WaitingLeadSequence.Reached reached) {
    List<String> workflowIds = List.copyOf(reached.started);
    ExecutorService pool =
        Executors.newFixedThreadPool(Integer.getInteger("sequencer.broadcast.signals", 64));
    long began = System.nanoTime();
    try {
      for (String workflowId : workflowIds) {
        pool.submit(
            () ->
                temporal
                    .client
                    .newWorkflowStub(LeadSequenceWorkflow.class, workflowId)
                    .pause("baseline"));
      }
      EnrolmentHarness.await(
          "bare signals to reach every lead",
          Duration.ofMinutes(15),
          () -> reached.paused.size() == workflowIds.size());
      return (System.nanoTime() - began) / 1e9;
    } finally {
      pool.shutdownNow();
    }
  }
}
