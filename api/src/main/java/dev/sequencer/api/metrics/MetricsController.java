package dev.sequencer.api.metrics;

import dev.sequencer.analysis.metrics.CampaignAnalytics;
import dev.sequencer.analysis.metrics.ChannelFunnels;
import dev.sequencer.analysis.metrics.MetricsReport;
import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.campaign.CampaignService;
import dev.sequencer.api.campaign.Ids;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

@RestController
class MetricsController {

  private final CampaignService campaigns;
  private final CampaignAnalytics analytics;
  private final ChannelFunnels channels;

  MetricsController(
      CampaignService campaigns, CampaignAnalytics analytics, ChannelFunnels channels) {
    this.campaigns = campaigns;
    this.analytics = analytics;
    this.channels = channels;
  }

  @GetMapping("/api/v1/campaigns/{campaignId}/metrics")
  MetricsResponse metrics(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String campaignId) {
    Campaign campaign = campaigns.find(org, Ids.checked("campaign_id", campaignId));
    MetricsReport report = analytics.report(campaign);
    return MetricsResponse.of(
        report.metrics(),
        report.abTest(),
        campaign.status() == CampaignStatus.PAUSED ? campaign.pauseReason() : null,
        report.copy(),
        channels.of(campaign, report.metrics()));
  }
}
