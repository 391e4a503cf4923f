package dev.sequencer.content.links;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the http(s) links of an HTML body to tracking links, remembering the originals in order
 * so that a click can only ever lead to a link that was in the message.
 */
public final class TrackedHtml {

  private static final Pattern HREF =
      Pattern.compile(
          "(<a\\b[^>]*?\\bhref\\s*=\\s*)([\"'])(https?://[^\"']+)\\2", Pattern.CASE_INSENSITIVE);

  /** The rewritten HTML and the original links, the n-th link at index n. */
  public record Result(String html, List<String> links) {}

  private TrackedHtml() {}

  /**
   * @param trackingUrl the tracking URL of the n-th link
   */
  public static Result rewrite(String html, IntFunction<String> trackingUrl) {
    List<String> links = new ArrayList<>();
    Matcher matcher = HREF.matcher(html);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String original = unescape(matcher.group(3));
      links.add(original);
      String replacement =
          matcher.group(1)
              + matcher.group(2)
              + trackingUrl.apply(links.size() - 1)
              + matcher.group(2);
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return new Result(out.toString(), List.copyOf(links));
  }

  private static String unescape(String attribute) {
    return attribute.replace("&amp;", "&");
  }
}
