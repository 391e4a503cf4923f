package dev.sequencer.api.lead;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.auth.Caller;
import dev.sequencer.api.auth.Permission;
import dev.sequencer.api.auth.Requires;
import dev.sequencer.api.campaign.CampaignService;
import dev.sequencer.api.campaign.Ids;
import dev.sequencer.api.error.ConflictException;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.api.error.NotFoundException;
import dev.sequencer.api.signal.WorkflowSignals;
import dev.sequencer.content.generation.QualityRules;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.generation.LeadGeneration;
import dev.sequencer.store.generation.LeadGenerations;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadRepository;
import dev.sequencer.store.lead.LeadTimeline;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A person's review of a generated text the quality gate refused, for a campaign that asks for
 * review: approved as it is, or edited. The lead's step then goes out with it; no other lead
 * waited.
 */
@RestController
class ReviewController {

  static final int MAX_BODY = 5000;
  private static final Set<String> STEPS = Set.of("hook", "proof", "fomo");

  private final CampaignService campaigns;
  private final LeadRepository leads;
  private final LeadGenerations generations;
  private final LeadTimeline timeline;
  private final WorkflowSignals signals;
  private final TransactionTemplate transaction;
  private final Clock clock;

  ReviewController(
      CampaignService campaigns,
      LeadRepository leads,
      LeadGenerations generations,
      LeadTimeline timeline,
      WorkflowSignals signals,
      TransactionTemplate transaction,
      Clock clock) {
    this.campaigns = campaigns;
    this.leads = leads;
    this.generations = generations;
    this.timeline = timeline;
    this.signals = signals;
    this.transaction = transaction;
    this.clock = clock;
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
    if (!STEPS.contains(step)) {
      throw InvalidRequestException.of("step", "must be hook, proof or fomo");
    }
    String subject = body == null ? null : body.subject();
    String text = body == null ? null : body.body();
    if (subject != null && text == null) {
      throw InvalidRequestException.of("body", "is required with an edited subject");
    }
    if (text != null && (text.isBlank() || text.length() > MAX_BODY)) {
      throw InvalidRequestException.of(
          "body", "must be 1 to " + MAX_BODY + " characters (null approves the text as it is)");
    }
    if (subject != null
        && (subject.length() > QualityRules.MAX_SUBJECT_CHARACTERS
            || subject.chars().anyMatch(Character::isISOControl))) {
      throw InvalidRequestException.of(
          "subject",
          "must be one line of at most " + QualityRules.MAX_SUBJECT_CHARACTERS + " characters");
    }
    LeadGeneration waiting =
        generations
            .of(lead.id(), step)
            .orElseThrow(() -> new NotFoundException("the lead's " + step + " is not generated"));
    Instant now = clock.instant();
    boolean reviewed =
        Boolean.TRUE.equals(
            transaction.execute(
                tx -> {
                  if (!generations.review(
                      lead.id(),
                      step,
                      subject,
                      text == null ? null : text.strip(),
                      caller.keyId(),
                      now)) {
                    return false;
                  }
                  timeline.record(
                      lead.organizationId(),
                      lead.campaignId(),
                      lead.id(),
                      null,
                      step,
                      text == null ? "review_approved" : "review_edited",
                      step
                          + ": "
                          + (text == null ? "approved" : "edited")
                          + " by "
                          + caller.keyId(),
                      now);
                  if (lead.workflowId() != null) {
                    // The step waits like a paused one; its resume sends the reviewed text.
                    signals.lead(lead.workflowId(), w -> w.resume());
                  }
                  return true;
                }));
    if (!reviewed) {
      throw new ConflictException(
          "the lead's " + step + " is " + waiting.status() + ", not awaiting review");
    }
    return LeadResponse.Generated.of(generations.of(lead.id(), step).orElseThrow());
  }
}
