package dev.sequencer.api.lead;

import dev.sequencer.activities.messaging.StepTemplates;
import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.campaign.CampaignService;
import dev.sequencer.api.campaign.Ids;
import dev.sequencer.api.error.FieldError;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.config.SequencerProperties;
import dev.sequencer.content.EmailParts;
import dev.sequencer.content.Escaping;
import dev.sequencer.content.SmsSegments;
import dev.sequencer.content.TemplateRenderer;
import dev.sequencer.content.ThreadSubjects;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStep;
import dev.sequencer.store.campaign.CampaignVariant;
import dev.sequencer.store.campaign.Channel;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Renders a campaign's steps for one lead, exactly as the send activity would. */
@RestController
class PreviewController {

  private final CampaignService campaigns;
  private final TemplateRenderer templates = new TemplateRenderer();

  private final SequencerProperties properties;
  private final tools.jackson.databind.json.JsonMapper json;

  PreviewController(
      CampaignService campaigns,
      SequencerProperties properties,
      tools.jackson.databind.json.JsonMapper json) {
    this.campaigns = campaigns;
    this.properties = properties;
    this.json = json;
  }

  record PreviewRequest(LeadRow lead, String variant) {}

  /**
   * One step as it goes out. For email, {@code text} and {@code html} are the parts as sent, footer
   * and all; only the lead's own tokens (unsubscribe, tracking) stand as placeholders, since a
   * preview lead has none.
   *
   * @param channel the step's first channel; a WhatsApp step shows its template's variables (the
   *     body goes only inside the 24 hours after the lead's last message), a webhook step its
   *     payload
   */
  record RenderedStep(
      String type,
      int day,
      String subject,
      String body,
      String text,
      String html,
      Integer segments,
      String encoding,
      String channel) {}

  record Preview(String campaignId, String variant, List<RenderedStep> steps) {}

  @PostMapping("/api/v1/campaigns/{campaignId}/preview")
  Preview preview(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String campaignId,
      @RequestBody PreviewRequest body) {
    Campaign campaign = campaigns.find(org, Ids.checked("campaign_id", campaignId));
    if (body == null || body.lead() == null) {
      throw InvalidRequestException.of("lead", "is required");
    }
    String variant = body.variant() == null ? CampaignVariant.BASE : body.variant();
    if (!variant.equals(CampaignVariant.BASE)
        && campaign.variants().stream().noneMatch(v -> v.name().equals(variant))) {
      throw InvalidRequestException.of("variant", "is not a variant of this campaign");
    }
    List<FieldError> errors = LeadValidator.newErrors();
    var lead =
        LeadValidator.validate(body.lead(), campaign, campaign.templateAttributeNames(), errors)
            .orElseThrow(
                () ->
                    new InvalidRequestException(
                        errors.stream()
                            .map(e -> new FieldError("lead." + e.field(), e.message()))
                            .toList()));
    Map<String, Object> variables = new HashMap<>(lead.attributes());
    put(variables, "first_name", lead.firstName());
    put(variables, "last_name", lead.lastName());
    put(variables, "company", lead.company());
    put(variables, "email", lead.email());
    put(variables, "phone", lead.phone());
    put(variables, "title", lead.title());
    List<CampaignStep> variantSteps = campaign.stepsOf(variant);
    CampaignStep hook = variantSteps.get(0);
    List<RenderedStep> steps =
        variantSteps.stream().map(s -> render(campaign, s, hook, variables)).toList();
    return new Preview(campaign.id(), variant, steps);
  }

  private RenderedStep render(
      Campaign campaign, CampaignStep step, CampaignStep hook, Map<String, Object> variables) {
    Channel channel = step.channelOr(campaign.channel());
    String body =
        step.body() == null ? null : templates.render(step.body(), variables, Escaping.NONE);
    String wire = channel.wireName();
    return switch (channel) {
      case SMS -> {
        SmsSegments segments = SmsSegments.of(body);
        yield new RenderedStep(
            step.type().wireName(),
            step.day(),
            null,
            body,
            body,
            null,
            segments.segments(),
            segments.encoding().name().toLowerCase(Locale.ROOT),
            wire);
      }
      case WHATSAPP -> {
        String template = StepTemplates.variables(json, step, variables);
        yield new RenderedStep(
            step.type().wireName(), step.day(), null, body, template, null, null, null, wire);
      }
      case WEBHOOK -> {
        String payload = StepTemplates.payload(json, step, variables);
        yield new RenderedStep(
            step.type().wireName(), step.day(), null, payload, payload, null, null, null, wire);
      }
      case IN_APP -> {
        String title = step.title() != null ? step.title() : step.subject();
        yield new RenderedStep(
            step.type().wireName(),
            step.day(),
            title == null ? null : templates.render(title, variables, Escaping.NONE),
            body,
            body,
            null,
            null,
            null,
            wire);
      }
      case EMAIL -> email(campaign, step, hook, variables, body);
    };
  }

  private RenderedStep email(
      Campaign campaign,
      CampaignStep step,
      CampaignStep hook,
      Map<String, Object> variables,
      String body) {
    String base = properties.publicUrl();
    EmailParts.Parts parts =
        EmailParts.of(
            // A follow-up without a subject answers the hook in its thread, as the send does.
            step.repliesInThread()
                ? ThreadSubjects.reply(
                    templates.render(
                        hook.subject() != null ? hook.subject() : campaign.name(),
                        variables,
                        Escaping.NONE))
                : templates.render(step.subject(), variables, Escaping.NONE),
            body,
            base + "/unsubscribe/{the lead's unsubscribe token}",
            campaign.trackLinks() ? i -> base + "/t/c/{tracking token of link " + i + "}" : null,
            campaign.trackLinks() ? base + "/t/o/{open tracking token}" : null);
    return new RenderedStep(
        step.type().wireName(),
        step.day(),
        parts.subject(),
        body,
        parts.text(),
        parts.html(),
        null,
        null,
        Channel.EMAIL.wireName());
  }

  private static void put(Map<String, Object> variables, String name, String value) {
    if (value != null) {
      variables.put(name, value);
    }
  }
}
