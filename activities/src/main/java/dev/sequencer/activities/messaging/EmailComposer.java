package dev.sequencer.activities.messaging;

import dev.sequencer.config.SequencerProperties;
import dev.sequencer.content.Escaping;
import dev.sequencer.content.TemplateRenderer;
import dev.sequencer.content.links.BodyLinks;
import dev.sequencer.content.links.LinkTokens;
import dev.sequencer.content.links.TrackedHtml;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStep;
import dev.sequencer.store.lead.Lead;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Turns an email step into what is sent: the text and HTML parts, a visible unsubscribe link, the
 * RFC 8058 one-click unsubscribe targets, and — when the campaign tracks links — click-tracking
 * links and an open pixel.
 */
@Component
public class EmailComposer {

  private static final Pattern CONTROL_CHARACTERS = Pattern.compile("\\p{Cntrl}+");

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

  public ComposedEmail compose(
      Campaign campaign,
      Lead lead,
      CampaignStep step,
      String messageId,
      Map<String, Object> variables) {
    LinkTokens tokens =
        LinkTokens.of(
            properties.tokenSecret(), properties.tokenSecretsRetired(), Clock.systemUTC());
    String base = properties.publicUrl();
    Unsubscribe unsubscribe = unsubscribe(campaign, lead.organizationId(), lead.id());
    String unsubscribeUrl = unsubscribe.url();
    String unsubscribeMailto = unsubscribe.mailto();

    // An attribute may hold a line break; in the Subject header it would start a header of its
    // own, so whatever the template pulls in stays on one line.
    String subject =
        CONTROL_CHARACTERS
            .matcher(templates.render(step.subject(), variables, Escaping.NONE))
            .replaceAll(" ");
    String text =
        templates.render(step.body(), variables, Escaping.NONE)
            + "\n\n--\nUnsubscribe: "
            + unsubscribeUrl
            + "\n";
    // The body is plain text, values and all: the HTML part is that text, escaped as a whole.
    String html = paragraphs(escape(templates.render(step.body(), variables, Escaping.NONE)));
    List<String> links = List.of();
    if (campaign.trackLinks()) {
      TrackedHtml.Result tracked =
          TrackedHtml.rewrite(
              html, i -> base + "/t/c/" + tokens.sign("c", messageId, String.valueOf(i)));
      html = tracked.html();
      links = tracked.links();
    }
    StringBuilder document = new StringBuilder("<html><body>").append(html);
    document
        .append("<p style=\"font-size:12px;color:#777777\"><a href=\"")
        .append(unsubscribeUrl)
        .append("\">Unsubscribe</a></p>");
    if (campaign.trackLinks()) {
      document
          .append("<img src=\"")
          .append(base)
          .append("/t/o/")
          .append(tokens.sign("o", messageId))
          .append("\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">");
    }
    document.append("</body></html>");
    return new ComposedEmail(
        subject, text, document.toString(), links, unsubscribeUrl, unsubscribeMailto);
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

  private static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }

  /** Paragraphs and line breaks of an HTML-escaped text body, with its URLs as links. */
  private static String paragraphs(String escapedBody) {
    StringBuilder html = new StringBuilder();
    for (String paragraph : escapedBody.split("\\R\\s*\\R")) {
      Matcher url = BodyLinks.URL.matcher(paragraph);
      String linked =
          url.replaceAll(
              m -> Matcher.quoteReplacement("<a href=\"" + m.group() + "\">" + m.group() + "</a>"));
      html.append("<p>").append(linked.replaceAll("\\R", "<br>")).append("</p>");
    }
    return html.toString();
  }
}
