package dev.sequencer.api.control;

import dev.sequencer.api.error.ConflictException;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.lead.LeadQueries;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pauses, resumes and cancels campaigns. The new status is committed under the campaign's row lock,
 * which waits for sends in flight (they hold a share lock), so once the call returns no message of
 * the campaign goes out; the campaign's run then tells every running lead.
 */
@Service
public class CampaignControl {

  private static final Set<CampaignStatus> PAUSABLE =
      EnumSet.of(CampaignStatus.SCHEDULED, CampaignStatus.RUNNING);

  private final CampaignRepository campaigns;
  private final LeadQueries leads;
  private final WorkflowSignals signals;
  private final TransactionTemplate transaction;
  private final Clock clock;

  CampaignControl(
      CampaignRepository campaigns,
      LeadQueries leads,
      WorkflowSignals signals,
      TransactionTemplate transaction,
      Clock clock) {
    this.campaigns = campaigns;
    this.leads = leads;
    this.signals = signals;
    this.transaction = transaction;
    this.clock = clock;
  }

  public void pause(Campaign campaign) {
    transaction.executeWithoutResult(
        tx -> {
          CampaignStatus status = campaigns.lockStatus(campaign.id()).orElseThrow();
          if (status == CampaignStatus.PAUSED) {
            return;
          }
          if (!PAUSABLE.contains(status)) {
            throw new ConflictException(
                "campaign is "
                    + status.wireName()
                    + ": only a scheduled or running campaign can be paused");
          }
          campaigns.updateStatus(campaign.id(), CampaignStatus.PAUSED.name(), null);
        });
    signals.campaign(campaign.workflowId(), w -> w.pause());
  }

  public void resume(Campaign campaign) {
    transaction.executeWithoutResult(
        tx -> {
          CampaignStatus status = campaigns.lockStatus(campaign.id()).orElseThrow();
          if (PAUSABLE.contains(status)) {
            return;
          }
          if (status != CampaignStatus.PAUSED) {
            throw new ConflictException(
                "campaign is " + status.wireName() + ": only a paused campaign can be resumed");
          }
          boolean started =
              campaign.startAt() == null || !campaign.startAt().isAfter(clock.instant());
          campaigns.updateStatus(
              campaign.id(),
              (started ? CampaignStatus.RUNNING : CampaignStatus.SCHEDULED).name(),
              null);
        });
    signals.campaign(campaign.workflowId(), w -> w.resume());
  }

  public void cancel(Campaign campaign, String reason) {
    transaction.executeWithoutResult(
        tx -> {
          CampaignStatus status = campaigns.lockStatus(campaign.id()).orElseThrow();
          if (status == CampaignStatus.CANCELLED) {
            return;
          }
          if (status == CampaignStatus.COMPLETED) {
            throw new ConflictException("campaign is completed: there is nothing to cancel");
          }
          campaigns.updateStatus(
              campaign.id(),
              CampaignStatus.CANCELLED.name(),
              reason == null ? "cancelled" : reason);
          leads.cancelOpen(campaign.id());
        });
    signals.campaign(campaign.workflowId(), w -> w.cancel(reason == null ? "cancelled" : reason));
  }
}
