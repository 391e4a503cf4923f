package dev.sequencer.activities.messaging;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.suppression.Suppressions;
import dev.sequencer.workflows.lead.LeadEnding;
import dev.sequencer.workflows.lead.SendResult;
import org.springframework.stereotype.Component;

/** Whether a lead may be messaged now: its own status, its campaign's, and the suppression list. */
@Component
class Consent {

  private final Suppressions suppressions;

  Consent(Suppressions suppressions) {
    this.suppressions = suppressions;
  }

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
    String address = recipientOf(lead, campaign);
    if (address == null) {
      return SendResult.stopped(LeadEnding.FAILED);
    }
    if (suppressions.isSuppressed(lead.organizationId(), campaign.channel().name(), address)) {
      return SendResult.stopped(LeadEnding.OPTED_OUT);
    }
    return null;
  }

  static String recipientOf(Lead lead, Campaign campaign) {
    return campaign.channel() == Channel.EMAIL ? lead.email() : lead.phone();
  }
}
