package dev.sequencer.api.control;

import dev.sequencer.api.error.ConflictException;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.api.error.NotFoundException;
import dev.sequencer.api.signal.WorkflowSignals;
import dev.sequencer.content.generation.GeneratedText;
import dev.sequencer.content.generation.QualityGate;
import dev.sequencer.content.generation.QualityRules;
import dev.sequencer.content.generation.Rejection;
import dev.sequencer.content.links.BodyLinks;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStep;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.generation.LeadGeneration;
import dev.sequencer.store.generation.LeadGenerations;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadTimeline;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A person's review of a generated text the quality gate refused: approved as it is, or edited. The
 * review, its timeline entry and the resume signal to the lead's workflow commit together; the
 * lead's step then goes out with the reviewed text. No other lead waits on it.
 */
@Component
public class CopyReviews {

  public static final int MAX_BODY = 5000;

  /** As many segments as a template may take. */
  static final int MAX_SMS_SEGMENTS = 10;

  private static final Set<String> STEPS = Set.of("hook", "proof", "fomo");

  private final LeadGenerations generations;
  private final dev.sequencer.store.campaign.CampaignRepository campaigns;
  private final LeadTimeline timeline;
  private final WorkflowSignals signals;
  private final TransactionTemplate transaction;
  private final Clock clock;

  CopyReviews(
      LeadGenerations generations,
      dev.sequencer.store.campaign.CampaignRepository campaigns,
      LeadTimeline timeline,
      WorkflowSignals signals,
      TransactionTemplate transaction,
      Clock clock) {
    this.generations = generations;
    this.campaigns = campaigns;
    this.timeline = timeline;
    this.signals = signals;
    this.transaction = transaction;
    this.clock = clock;
  }

  /**
   * @param body the edited text, or null to approve the text as the model wrote it
   * @param subject with {@code body}, the edited subject; null keeps the generated one
   * @param by the key id of the reviewer
   * @return the reviewed generation
   */
  public LeadGeneration review(Lead lead, String step, String subject, String body, String by) {
    if (!STEPS.contains(step)) {
      throw InvalidRequestException.of("step", "must be hook, proof or fomo");
    }
    String text = body == null ? null : body.strip();
    if (subject != null && text == null) {
      throw InvalidRequestException.of("body", "is required with an edited subject");
    }
    if (text != null && (text.isEmpty() || text.length() > MAX_BODY)) {
      throw InvalidRequestException.of(
          "body", "must be 1 to " + MAX_BODY + " characters (null approves the text as it is)");
    }
    String title = subject == null || subject.isBlank() ? null : subject.strip();
    if (title != null
        && (title.length() > QualityRules.MAX_SUBJECT_CHARACTERS
            || title.chars().anyMatch(Character::isISOControl))) {
      throw InvalidRequestException.of(
          "subject",
          "must be one line of at most " + QualityRules.MAX_SUBJECT_CHARACTERS + " characters");
    }
    LeadGeneration waiting =
        generations
            .of(lead.id(), step)
            .orElseThrow(() -> new NotFoundException("the lead's " + step + " is not generated"));
    Campaign campaign = campaigns.findById(lead.campaignId()).orElseThrow();
    String variant = lead.variant() == null ? "A" : lead.variant();
    CampaignStep template =
        campaign.stepsOf(variant).stream()
            .filter(s -> s.type().wireName().equals(step))
            .findFirst()
            .orElseThrow(() -> new NotFoundException("the lead's sequence has no " + step));
    boolean ownSubject = campaign.channel() == Channel.EMAIL && !template.repliesInThread();
    if (title != null && !ownSubject) {
      throw InvalidRequestException.of(
          "subject",
          campaign.channel() == Channel.SMS
              ? "an SMS has no subject"
              : "this follow-up goes out as a reply in the hook's thread: it has no subject");
    }
    // A person decides what the text says; what makes it unsafe to send is checked all the same.
    String sent = text != null ? text : waiting.body() == null ? "" : waiting.body();
    List<Rejection> unsafe =
        QualityGate.check(
            new GeneratedText(step, title, sent),
            new QualityRules(
                0,
                campaign.channel() == Channel.SMS ? MAX_SMS_SEGMENTS : 0,
                Map.of(),
                BodyLinks.in(
                    campaign.stepsOf(variant).stream()
                        .flatMap(s -> java.util.stream.Stream.of(s.subject(), s.body()))
                        .toList()),
                List.of(),
                1.0),
            List.of());
    if (!unsafe.isEmpty()) {
      String why = String.join("; ", unsafe.stream().map(Rejection::toString).toList());
      if (text != null) {
        throw InvalidRequestException.of("body", "cannot be sent: " + why);
      }
      throw new ConflictException(
          "the generated text cannot be sent as it is (" + why + "): edit it instead");
    }
    Instant now = clock.instant();
    boolean reviewed =
        Boolean.TRUE.equals(
            transaction.execute(
                tx -> {
                  if (!generations.review(lead.id(), step, title, text, by, now)) {
                    return false;
                  }
                  timeline.record(
                      lead.organizationId(),
                      lead.campaignId(),
                      lead.id(),
                      null,
                      step,
                      text == null ? "review_approved" : "review_edited",
                      step + ": " + (text == null ? "approved" : "edited") + " by key " + by,
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
    return generations.of(lead.id(), step).orElseThrow();
  }
}
