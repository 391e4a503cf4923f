package dev.sequencer.activities.messaging;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.workflows.lead.LeadEnding;
import dev.sequencer.workflows.lead.SendResult;
import org.springframework.stereotype.Component;

/**
 * Whether a lead may be messaged now: its own status and its campaign's. Its addresses and the
 * suppression list are the step's route's to check ({@link ChannelRouting}).
 */
@Component
class Consent {

  /** Why this lead may not be messaged now, or null when it may. */
  SendResult refusal(Lead lead, Campaign campaign, CampaignStatus campaignStatus) {
    if (lead.status().isFinal()) {
      return SendResult.stopped(LeadEnding.of(lead.status().wireName()));
    }
    if (campaignStatus == CampaignStatus.CANCELLED) {
      return SendResult.stopped(LeadEnding.CANCELLED);
    }
    if (lead.status() == LeadStatus.PAUSED || campaignStatus == CampaignStatus.PAUSED) {
      return SendResult.paused();
    }
    return null;
  }
}
