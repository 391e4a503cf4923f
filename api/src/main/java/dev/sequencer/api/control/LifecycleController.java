package dev.sequencer.api.control;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.auth.Permission;
import dev.sequencer.api.auth.Requires;
import dev.sequencer.api.campaign.CampaignResponse;
import dev.sequencer.api.campaign.CampaignService;
import dev.sequencer.api.campaign.Ids;
import dev.sequencer.store.campaign.Campaign;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Pause, resume and cancel for campaigns and single leads (support's levers). */
@RestController
@RequestMapping("/api/v1/campaigns/{campaignId}")
@Requires(Permission.CONTROL)
class LifecycleController {

  private final CampaignService campaigns;
  private final CampaignControl campaignControl;
  private final LeadControl leadControl;

  LifecycleController(
      CampaignService campaigns, CampaignControl campaignControl, LeadControl leadControl) {
    this.campaigns = campaigns;
    this.campaignControl = campaignControl;
    this.leadControl = leadControl;
  }

  record ReasonRequest(String reason) {}

  record LeadState(String leadId, String status) {}

  @PostMapping("/pause")
  @ResponseStatus(HttpStatus.ACCEPTED)
  CampaignResponse pause(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String campaignId) {
    campaignControl.pause(find(org, campaignId));
    return campaigns.response(find(org, campaignId));
  }

  @PostMapping("/resume")
  @ResponseStatus(HttpStatus.ACCEPTED)
  CampaignResponse resume(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String campaignId) {
    campaignControl.resume(find(org, campaignId));
    return campaigns.response(find(org, campaignId));
  }

  @PostMapping("/cancel")
  @ResponseStatus(HttpStatus.ACCEPTED)
  CampaignResponse cancel(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String campaignId,
      @RequestBody(required = false) ReasonRequest body) {
    campaignControl.cancel(find(org, campaignId), body == null ? null : body.reason());
    return campaigns.response(find(org, campaignId));
  }

  @PostMapping("/leads/{leadId}/pause")
  @ResponseStatus(HttpStatus.ACCEPTED)
  LeadState pauseLead(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String campaignId,
      @PathVariable String leadId,
      @RequestBody(required = false) ReasonRequest body) {
    leadControl.pause(
        campaignOf(org, campaignId),
        Ids.checked("lead_id", leadId),
        body == null ? null : body.reason());
    return new LeadState(leadId, "paused");
  }

  @PostMapping("/leads/{leadId}/resume")
  @ResponseStatus(HttpStatus.ACCEPTED)
  LeadState resumeLead(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String campaignId,
      @PathVariable String leadId) {
    var lead = leadControl.resume(campaignOf(org, campaignId), Ids.checked("lead_id", leadId));
    return new LeadState(leadId, lead.workflowId() == null ? "pending" : "active");
  }

  private Campaign find(String org, String campaignId) {
    return campaigns.find(org, Ids.checked("campaign_id", campaignId));
  }

  private String campaignOf(String org, String campaignId) {
    return campaigns.requireId(org, Ids.checked("campaign_id", campaignId));
  }
}
