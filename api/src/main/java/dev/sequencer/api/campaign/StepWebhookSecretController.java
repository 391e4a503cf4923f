package dev.sequencer.api.campaign;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.auth.Permission;
import dev.sequencer.api.auth.Requires;
import dev.sequencer.config.SequencerProperties;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.webhook.StepWebhookSecret;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/campaigns/{id}/webhook-secret}: the secret the campaign's webhook steps are
 * signed with, for the receiver to verify them. Admins only: a read-only key sees the campaign, not
 * the means to forge its messages.
 */
@RestController
class StepWebhookSecretController {

  record SecretResponse(String campaignId, String secret) {}

  private final CampaignService campaigns;
  private final SequencerProperties properties;

  StepWebhookSecretController(CampaignService campaigns, SequencerProperties properties) {
    this.campaigns = campaigns;
    this.properties = properties;
  }

  @GetMapping("/api/v1/campaigns/{campaignId}/webhook-secret")
  @Requires(Permission.MANAGE)
  SecretResponse secret(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String campaignId) {
    Campaign campaign = campaigns.find(org, Ids.checked("campaign_id", campaignId));
    return new SecretResponse(
        campaign.id(), StepWebhookSecret.of(properties.tokenSecret(), campaign.id()));
  }
}
