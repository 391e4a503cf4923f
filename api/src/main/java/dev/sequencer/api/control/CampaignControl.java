package dev.sequencer.api.control;

import dev.sequencer.api.concurrency.ChangeLeases;
import dev.sequencer.api.concurrency.ShortTransactions;
import dev.sequencer.api.error.ConflictException;
import dev.sequencer.api.signal.WorkflowSignals;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.campaign.CampaignTransitions;
import dev.sequencer.store.lead.LeadQueries;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Pauses, resumes and cancels campaigns. The store is the source of truth: the new status of the
 * campaign and of all its leads is committed in one short transaction under the campaign's row
 * lock, which waits for sends in flight (they hold a share lock), so once the call returns no
 * message of the campaign goes out, however many leads it has. A pause needs no signal at all: a
 * lead's workflow finds it when its next step falls due and then waits for a signal. A resume
 * signals only those waiting leads, and a cancel ends every lead's workflow; both through the
 * campaign's run, which passes them on in the background while it goes on enrolling; the run's
 * signal is committed with the change ({@link WorkflowSignals}), so signals reach it in the order
 * of the commits. Each call is the only change of its campaign while it runs ({@link
 * ChangeLeases}): a concurrent call is refused with 409.
 */
@Service
public class CampaignControl {

  private static final Set<CampaignStatus> PAUSABLE =
      EnumSet.of(CampaignStatus.SCHEDULED, CampaignStatus.RUNNING);

  private final CampaignRepository campaigns;
  private final CampaignTransitions transitions;
  private final LeadQueries leads;
  private final WorkflowSignals signals;
  private final ChangeLeases leases;
  private final ShortTransactions transactions;
  private final HandOversInFlight inFlight;
  private final Clock clock;

  CampaignControl(
      CampaignRepository campaigns,
      CampaignTransitions transitions,
      LeadQueries leads,
      WorkflowSignals signals,
      ChangeLeases leases,
      ShortTransactions transactions,
      HandOversInFlight inFlight,
      Clock clock) {
    this.campaigns = campaigns;
    this.transitions = transitions;
    this.leads = leads;
    this.signals = signals;
    this.leases = leases;
    this.transactions = transactions;
    this.inFlight = inFlight;
    this.clock = clock;
  }

  public void pause(Campaign campaign) {
    leases.campaign(
        campaign.id(),
        () -> {
          transactions.execute(
              () -> {
                CampaignTransitions.Lifecycle now = lock(campaign);
                if (now.status() != CampaignStatus.PAUSED) {
                  if (!PAUSABLE.contains(now.status())) {
                    throw new ConflictException(
                        "campaign is "
                            + now.status().wireName()
                            + ": only a scheduled or running campaign can be paused");
                  }
                  campaigns.updateStatus(campaign.id(), CampaignStatus.PAUSED.name(), null);
                  leads.pauseWithCampaign(campaign.id(), "campaign paused", clock.instant());
                }
                return null;
              });
          inFlight.awaitCampaign(campaign.id());
          return null;
        });
  }

  public void resume(Campaign campaign) {
    leases.campaign(
        campaign.id(),
        () -> {
          transactions.execute(
              () -> {
                CampaignTransitions.Lifecycle now = lock(campaign);
                if (PAUSABLE.contains(now.status())) {
                  return null;
                }
                if (now.status() != CampaignStatus.PAUSED) {
                  throw new ConflictException(
                      "campaign is "
                          + now.status().wireName()
                          + ": only a paused campaign can be resumed");
                }
                boolean started = now.startAt() == null || !now.startAt().isAfter(clock.instant());
                campaigns.updateStatus(
                    campaign.id(),
                    (started ? CampaignStatus.RUNNING : CampaignStatus.SCHEDULED).name(),
                    null);
                // Whoever paused it, auto-pause included, a person's resume lifts it.
                campaigns.clearPauseReason(campaign.id());
                leads.resumeWithCampaign(campaign.id(), "campaign resumed", clock.instant());
                signals.campaign(now.workflowId(), w -> w.resume());
                return null;
              });
          return null;
        });
  }

  public void cancel(Campaign campaign, String reason) {
    String why = reason == null ? "cancelled" : reason;
    leases.campaign(
        campaign.id(),
        () -> {
          transactions.execute(
              () -> {
                CampaignTransitions.Lifecycle now = lock(campaign);
                if (now.status() == CampaignStatus.CANCELLED) {
                  return null;
                }
                if (now.status() == CampaignStatus.COMPLETED) {
                  throw new ConflictException("campaign is completed: there is nothing to cancel");
                }
                campaigns.updateStatus(campaign.id(), CampaignStatus.CANCELLED.name(), why);
                leads.cancelOpen(campaign.id());
                signals.campaign(now.workflowId(), w -> w.cancel(why));
                return null;
              });
          inFlight.awaitCampaign(campaign.id());
          return null;
        });
  }

  private CampaignTransitions.Lifecycle lock(Campaign campaign) {
    return transitions.lock(campaign.id()).orElseThrow();
  }
}
