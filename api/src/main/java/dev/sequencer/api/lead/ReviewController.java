package dev.sequencer.api.lead;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.auth.Caller;
import dev.sequencer.api.auth.Permission;
import dev.sequencer.api.auth.Requires;
import dev.sequencer.api.campaign.CampaignService;
import dev.sequencer.api.campaign.Ids;
import dev.sequencer.api.control.CopyReviews;
import dev.sequencer.api.error.NotFoundException;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadRepository;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The review of a generated text that waits for a person ({@link CopyReviews}). */
@RestController
class ReviewController {

  private final CampaignService campaigns;
  private final LeadRepository leads;
  private final CopyReviews reviews;

  ReviewController(CampaignService campaigns, LeadRepository leads, CopyReviews reviews) {
    this.campaigns = campaigns;
    this.leads = leads;
    this.reviews = reviews;
  }

  /**
   * @param subject with {@code body}, the edited subject (null keeps the generated one)
   * @param body the edited text; null approves the text as the model wrote it
   */
  record ReviewRequest(String subject, String body) {}

  @PostMapping("/api/v1/campaigns/{campaignId}/leads/{leadId}/steps/{step}/review")
  @Requires(Permission.CONTROL)
  @ResponseStatus(HttpStatus.ACCEPTED)
  LeadResponse.Generated review(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
      @PathVariable String campaignId,
      @PathVariable String leadId,
      @PathVariable String step,
      @RequestBody(required = false) ReviewRequest body) {
    Campaign campaign = campaigns.find(org, Ids.checked("campaign_id", campaignId));
    Lead lead =
        leads
            .findByCampaignIdAndLeadId(campaign.id(), Ids.checked("lead_id", leadId))
            .orElseThrow(
                () -> new NotFoundException("lead " + leadId + " is not in this campaign"));
    return LeadResponse.Generated.of(
        reviews.review(
            lead,
            step,
            body == null ? null : body.subject(),
            body == null ? null : body.body(),
            caller.keyId()));
  }
}
