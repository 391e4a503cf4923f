package dev.sequencer.activities.enrolment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.activitiestest.ActivitiesIntegrationTest;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.testing.CampaignBuilder;
import dev.sequencer.workflows.campaign.CampaignRunWorkflow;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pause, resume and cancel of a 100,000-lead campaign, each lead with a running workflow: the
 * campaign's commit as the API makes it (campaign row locked, campaign and every lead changed in
 * one transaction), then, for resume and cancel, the real campaign run and enrolment activity
 * passing the command on until it has reached every lead's workflow. Resume is measured at its
 * worst: every lead's step fell due during the pause, so every lead waits for the signal.
 *
 * <p>{@code -Dsequencer.benchmark.leads=N} runs it with another number of leads.
 */
@Timeout(1800)
class CampaignControlBenchmarkTest extends ActivitiesIntegrationTest {

  private static final int LEADS = Integer.getInteger("sequencer.benchmark.leads", 100_000);

  /** What the issue asks of each: every lead reached within a minute. */
  private static final double GOAL_SECONDS = 60;

  private String campaignId;

  @AfterEach
  void dropCampaign() {
    if (campaignId != null) {
      jdbc.sql("delete from campaigns where id = ?").param(campaignId).update();
    }
  }

  @Test
  void pauseResumeAndCancelReachEveryLeadOfAHundredThousand() {
    Campaign campaign =
        fixtures()
            .save(
                CampaignBuilder.email(fixtures().organization())
                    .status(CampaignStatus.SCHEDULED)
                    .build());
    campaignId = campaign.id();
    EnrolmentHarness.insertPendingLeads(jdbc, campaign, LEADS);
    LeadQueries leads = context.getBean(LeadQueries.class);
    CampaignRepository campaigns = context.getBean(CampaignRepository.class);
    TransactionTemplate transaction = context.getBean(TransactionTemplate.class);
    WaitingLeadSequence.Reached reached = new WaitingLeadSequence.Reached();

    try (EnrolmentHarness temporal =
        new EnrolmentHarness(
            context,
            client -> EnrolmentHarness.enrolmentActivities(context, client, Clock.systemUTC()),
            () -> new WaitingLeadSequence(reached))) {
      CampaignRunWorkflow run = temporal.startCampaign(campaignId);
      EnrolmentHarness.await(
          "every lead to be enrolled and its workflow to run",
          Duration.ofMinutes(15),
          () -> run.state().enrolled() == LEADS && reached.started.size() == LEADS);

      // The baseline: bare signals from as many threads to the same workflows, no store at all.
      double bareSignals = signalEachDirectly(temporal, reached);

      double pause =
          seconds(
              () ->
                  commit(
                      transaction,
                      campaigns,
                      CampaignStatus.PAUSED,
                      () -> leads.pauseWithCampaign(campaignId, "campaign paused", Instant.now())));
      assertThat(leads.countsByStatus(campaignId)).containsEntry(LeadStatus.PAUSED, (long) LEADS);

      // The worst case for the resume: every lead's step fell due while paused and waits.
      jdbc.sql(
              "insert into lead_steps (lead_pk, position, type, status, scheduled_at, reason)"
                  + " select id, 0, 'hook', 'scheduled', null, 'paused' from leads"
                  + " where campaign_id = ?")
          .param(campaignId)
          .update();
      long resumeBegan = System.nanoTime();
      double resumeCommit =
          seconds(
              () ->
                  commit(
                      transaction,
                      campaigns,
                      CampaignStatus.RUNNING,
                      () ->
                          leads.resumeWithCampaign(campaignId, "campaign resumed", Instant.now())));
      run.resume();
      EnrolmentHarness.await(
          "the resume to reach every lead",
          Duration.ofMinutes(10),
          () -> reached.resumed.size() == LEADS);
      double resume = (System.nanoTime() - resumeBegan) / 1e9;

      long cancelBegan = System.nanoTime();
      double cancelCommit =
          seconds(
              () ->
                  commit(
                      transaction,
                      campaigns,
                      CampaignStatus.CANCELLED,
                      () -> leads.cancelOpen(campaignId)));
      run.cancel("benchmark");
      EnrolmentHarness.await(
          "the cancel to reach every lead",
          Duration.ofMinutes(10),
          () -> reached.stopped.size() == LEADS);
      double cancel = (System.nanoTime() - cancelBegan) / 1e9;

      System.out.printf(
          "BENCHMARK campaign-control leads=%d pause_commit_seconds=%.2f"
              + " resume_commit_seconds=%.2f resume_reached_all_seconds=%.1f"
              + " cancel_commit_seconds=%.2f cancel_reached_all_seconds=%.1f"
              + " bare_signals_reached_all_seconds=%.1f resume_vs_bare=%.2f cancel_vs_bare=%.2f"
              + " goal_seconds=%.0f%n",
          LEADS,
          pause,
          resumeCommit,
          resume,
          cancelCommit,
          cancel,
          bareSignals,
          bareSignals / resume,
          bareSignals / cancel,
          GOAL_SECONDS);
      assertThat(leads.countsByStatus(campaignId))
          .containsEntry(LeadStatus.CANCELLED, (long) LEADS);
      assertThat(reached.resumed).hasSize(LEADS);
      assertThat(reached.stopped).hasSize(LEADS);
    }
  }

  /** The campaign's change as the API commits it: its row locked, its leads in the same commit. */
  private int commit(
      TransactionTemplate transaction,
      CampaignRepository campaigns,
      CampaignStatus status,
      Supplier<Integer> leads) {
    return transaction.execute(
        tx -> {
          campaigns.lockStatus(campaignId).orElseThrow();
          campaigns.updateStatus(campaignId, status.name(), null);
          return leads.get();
        });
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
          Duration.ofMinutes(10),
          () -> reached.paused.size() == workflowIds.size());
      return (System.nanoTime() - began) / 1e9;
    } finally {
      pool.shutdownNow();
    }
  }

  private static double seconds(IntSupplier action) {
    long began = System.nanoTime();
    action.getAsInt();
    return (System.nanoTime() - began) / 1e9;
  }
}
