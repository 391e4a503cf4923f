package dev.sequencer.content;

import dev.sequencer.content.links.BodyLinks;
import dev.sequencer.content.links.TrackedHtml;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of an email as it is sent, from a rendered body: the text part with its unsubscribe
 * footer, and the HTML part (the same text, escaped as a whole, in paragraphs, its URLs as links)
 * with a visible unsubscribe link and, when tracked, click-tracking links and an open pixel. One
 * composition for the send and for the preview, so the preview shows exactly what goes out.
 */
public final class EmailParts {

  private static final Pattern CONTROL_CHARACTERS = Pattern.compile("\\p{Cntrl}+");

  /**
   * @param links the original links, the n-th at index n, when tracked; empty otherwise
   */
  public record Parts(String subject, String text, String html, List<String> links) {}

  private EmailParts() {}

  /**
   * @param clickUrl the tracking URL of the n-th link, or null when links are not tracked
   * @param openPixelUrl the open pixel's URL, or null when opens are not tracked
   */
  public static Parts of(
      String renderedSubject,
      String renderedBody,
      String unsubscribeUrl,
      IntFunction<String> clickUrl,
      String openPixelUrl) {
    // An attribute may hold a line break; in the Subject header it would start a header of its
    // own, so whatever the template pulled in stays on one line.
    String subject =
        renderedSubject == null
            ? null
            : CONTROL_CHARACTERS.matcher(renderedSubject).replaceAll(" ");
    String text = renderedBody + "\n\n--\nUnsubscribe: " + unsubscribeUrl + "\n";
    String html = paragraphs(escape(renderedBody));
    List<String> links = List.of();
    if (clickUrl != null) {
      TrackedHtml.Result tracked = TrackedHtml.rewrite(html, clickUrl);
      html = tracked.html();
      links = tracked.links();
    }
    StringBuilder document = new StringBuilder("<html><body>").append(html);
    document
        .append("<p style=\"font-size:12px;color:#777777\"><a href=\"")
        .append(escape(unsubscribeUrl))
        .append("\">Unsubscribe</a></p>");
    if (openPixelUrl != null) {
      document
          .append("<img src=\"")
          .append(openPixelUrl)
          .append("\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">");
    }
    document.append("</body></html>");
    return new Parts(subject, text, document.toString(), links);
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
