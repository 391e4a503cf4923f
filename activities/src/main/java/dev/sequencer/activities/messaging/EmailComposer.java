package dev.sequencer.activities.messaging;

import dev.sequencer.config.SequencerProperties;
import dev.sequencer.content.EmailParts;
import dev.sequencer.content.Escaping;
import dev.sequencer.content.TemplateRenderer;
import dev.sequencer.content.links.LinkTokens;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStep;
import dev.sequencer.store.lead.Lead;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Turns an email step into what is sent: the text and HTML parts, a visible unsubscribe link, the
 * RFC 8058 one-click unsubscribe targets, and — when the campaign tracks links — click-tracking
 * links and an open pixel.
 */
@Component
public class EmailComposer {

  /** An email ready to hand over, with the original links its tracking links stand for. */
  public record ComposedEmail(
      String subject,
      String text,
      String html,
      List<String> links,
      String unsubscribeUrl,
      String unsubscribeMailto) {}

  private final TemplateRenderer templates = new TemplateRenderer();
  private final SequencerProperties properties;

  public EmailComposer(SequencerProperties properties) {
    this.properties = properties;
  }

  /**
   * @param renderedSubject the subject as it goes out (a follow-up in the hook's thread takes the
   *     hook's)
   */
  public ComposedEmail compose(
      Campaign campaign,
      Lead lead,
      CampaignStep step,
      String messageId,
      Map<String, Object> variables,
      String renderedSubject) {
    LinkTokens tokens =
        LinkTokens.of(
            properties.tokenSecret(), properties.tokenSecretsRetired(), Clock.systemUTC());
    String base = properties.publicUrl();
    Unsubscribe unsubscribe = unsubscribe(campaign, lead.organizationId(), lead.id());
    String unsubscribeUrl = unsubscribe.url();
    String unsubscribeMailto = unsubscribe.mailto();

    EmailParts.Parts parts =
        EmailParts.of(
            renderedSubject,
            templates.render(step.body(), variables, Escaping.NONE),
            unsubscribeUrl,
            campaign.trackLinks()
                ? i -> base + "/t/c/" + tokens.sign("c", messageId, String.valueOf(i))
                : null,
            campaign.trackLinks() ? base + "/t/o/" + tokens.sign("o", messageId) : null);
    return new ComposedEmail(
        parts.subject(),
        parts.text(),
        parts.html(),
        parts.links(),
        unsubscribeUrl,
        unsubscribeMailto);
  }

  /** The RFC 8058 one-click target and the mailto fallback of a lead's unsubscribe. */
  public record Unsubscribe(String url, String mailto) {}

  /**
   * The lead's unsubscribe targets. They depend on the lead alone, so a message handed over again
   * after a crash carries the same headers as the first time.
   */
  public Unsubscribe unsubscribe(Campaign campaign, String organizationId, long leadPk) {
    String token =
        LinkTokens.of(properties.tokenSecret(), properties.tokenSecretsRetired(), Clock.systemUTC())
            .sign("u", organizationId, String.valueOf(leadPk), campaign.channel().name());
    String mailto =
        "mailto:"
            + (campaign.sender().replyTo() != null
                ? campaign.sender().replyTo()
                : campaign.sender().email())
            + "?subject="
            + URLEncoder.encode("unsubscribe " + token, StandardCharsets.UTF_8).replace("+", "%20");
    return new Unsubscribe(properties.publicUrl() + "/unsubscribe/" + token, mailto);
  }
}
