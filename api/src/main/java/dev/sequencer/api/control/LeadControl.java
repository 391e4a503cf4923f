package dev.sequencer.api.control;

import dev.sequencer.api.concurrency.ShortTransactions;
import dev.sequencer.api.error.ConflictException;
import dev.sequencer.api.error.NotFoundException;
import dev.sequencer.api.signal.WorkflowSignals;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.workflows.lead.LeadEnding;
import dev.sequencer.workflows.lead.OutOfOffice;
import dev.sequencer.workflows.lead.Stop;
import java.time.Clock;
import java.time.LocalDate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pauses, resumes and stops single leads. Each change is committed under the lead's row lock, its
 * workflow's signal with it ({@link WorkflowSignals}, delivered after the commit in commit order);
 * a pause or stop then waits for hand-overs that began before it ({@link HandOversInFlight}), so
 * once the call has returned no further message goes out. Pause and resume wait for the lead's row
 * only a moment ({@link ShortTransactions}): a send committing its attempt makes them 409 rather
 * than a request holding a connection while it waits.
 */
@Service
public class LeadControl {

  private final LeadQueries leads;
  private final CampaignRepository campaigns;
  private final LeadTimeline timeline;
  private final WorkflowSignals signals;
  private final TransactionTemplate transaction;
  private final HandOversInFlight inFlight;
  private final ShortTransactions shortTransactions;
  private final Clock clock;

  LeadControl(
      LeadQueries leads,
      CampaignRepository campaigns,
      LeadTimeline timeline,
      WorkflowSignals signals,
      TransactionTemplate transaction,
      HandOversInFlight inFlight,
      ShortTransactions shortTransactions,
      Clock clock) {
    this.leads = leads;
    this.campaigns = campaigns;
    this.timeline = timeline;
    this.signals = signals;
    this.transaction = transaction;
    this.inFlight = inFlight;
    this.shortTransactions = shortTransactions;
    this.clock = clock;
  }

  /** Pauses the lead on its own: a campaign resume leaves it paused until its own resume. */
  public Lead pause(String campaignId, String leadId, String reason) {
    Lead lead =
        shortTransactions.execute(
            () -> {
              Lead locked = lock(campaignId, leadId);
              // Paused with its campaign, it becomes paused on its own: the campaign's resume must
              // then leave it paused.
              if (locked.status() == LeadStatus.PAUSED
                  && LeadQueries.PAUSED_BY_LEAD.equals(leads.pausedBy(locked.id()))) {
                return locked;
              }
              if (locked.status().isFinal()) {
                throw new ConflictException(
                    "lead is " + locked.status().wireName() + ": its sequence has ended");
              }
              leads.pause(locked.id(), LeadQueries.PAUSED_BY_LEAD);
              record(locked, "paused", reason == null ? "paused through the API" : reason);
              signals.lead(locked.workflowId(), w -> w.pause(reason == null ? "api" : reason));
              return locked;
            });
    inFlight.awaitLead(campaignId, lead.id());
    return lead;
  }

  public Lead resume(String campaignId, String leadId) {
    Lead lead =
        shortTransactions.execute(
            () -> {
              Lead locked = lock(campaignId, leadId);
              if (locked.status() == LeadStatus.ACTIVE || locked.status() == LeadStatus.PENDING) {
                return locked;
              }
              if (locked.status() != LeadStatus.PAUSED) {
                throw new ConflictException(
                    "lead is "
                        + locked.status().wireName()
                        + ": only a paused lead can be resumed");
              }
              boolean campaignPaused =
                  locked.workflowId() != null
                      && campaigns.findStatus(campaignId).orElseThrow() == CampaignStatus.PAUSED;
              if (campaignPaused) {
                if (LeadQueries.PAUSED_BY_CAMPAIGN.equals(leads.pausedBy(locked.id()))) {
                  return locked;
                }
                // Its own pause is over, its campaign's is not: it resumes with the campaign.
                leads.pause(locked.id(), LeadQueries.PAUSED_BY_CAMPAIGN);
                record(locked, "resumed", "resumed through the API; waits for its campaign");
              } else {
                leads.transition(
                    locked.id(),
                    locked.workflowId() == null ? LeadStatus.PENDING : LeadStatus.ACTIVE);
                record(locked, "resumed", "resumed through the API");
                signals.lead(locked.workflowId(), w -> w.resume());
              }
              return locked;
            });
    return lead;
  }

  /**
   * Ends the lead's sequence with {@code status} (replied, bounced, ...) unless it has ended.
   *
   * @return whether the lead was still open
   */
  public boolean stop(Lead lead, LeadStatus status, String event, String detail) {
    Boolean stopped =
        transaction.execute(
            tx -> {
              Lead locked = leads.lock(lead.id()).orElseThrow();
              if (locked.status().isFinal()) {
                return false;
              }
              leads.transition(locked.id(), status);
              record(locked, event, detail);
              signals.lead(
                  locked.workflowId(),
                  w -> w.stop(new Stop(LeadEnding.of(status.wireName()), event)));
              return true;
            });
    if (Boolean.TRUE.equals(stopped)) {
      inFlight.awaitLead(lead.campaignId(), lead.id());
    }
    return Boolean.TRUE.equals(stopped);
  }

  /** The lead is away until {@code returnDate} (or an unknown date): its sequence waits. */
  public void outOfOffice(Lead lead, LocalDate returnDate, String detail) {
    transaction.executeWithoutResult(
        tx -> {
          record(lead, "out_of_office", detail);
          signals.lead(lead.workflowId(), w -> w.outOfOffice(new OutOfOffice(returnDate)));
        });
  }

  private Lead lock(String campaignId, String leadId) {
    return leads
        .lock(campaignId, leadId)
        .orElseThrow(() -> new NotFoundException("lead " + leadId + " is not in this campaign"));
  }

  private void record(Lead lead, String event, String detail) {
    timeline.record(
        lead.organizationId(),
        lead.campaignId(),
        lead.id(),
        null,
        null,
        event,
        detail,
        clock.instant());
  }
}
