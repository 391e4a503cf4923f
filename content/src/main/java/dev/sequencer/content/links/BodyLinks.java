package dev.sequencer.content.links;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;

/** The http(s) links of a plain-text body: what the email's HTML part turns into anchors. */
public final class BodyLinks {

  /** A link runs to the first space, angle bracket or quote, without trailing punctuation. */
  public static final Pattern URL = Pattern.compile("https?://[^\\s<>\"]+[^\\s<>\".,;:!?)]");

  private BodyLinks() {}

  /**
   * The links of a template that are not valid absolute http(s) URIs with a host. A link with a
   * template tag in it is left out: its value is known only when a lead fills it in.
   */
  public static List<String> invalid(String template) {
    if (template == null) {
      return List.of();
    }
    return URL.matcher(template)
        .results()
        .map(match -> match.group())
        .filter(link -> !link.contains("{{"))
        .filter(link -> !isValid(link))
        .toList();
  }

  /** Every link in {@code texts} (null texts are skipped), in order of appearance. */
  public static java.util.Set<String> in(java.util.Collection<String> texts) {
    java.util.Set<String> links = new java.util.LinkedHashSet<>();
    for (String text : texts) {
      if (text != null) {
        URL.matcher(text).results().forEach(match -> links.add(match.group()));
      }
    }
    return links;
  }

  /** An absolute http(s) URI with a host: what a click can be redirected to. */
  public static boolean isValid(String link) {
    try {
      URI uri = new URI(link);
      return uri.getHost() != null
          && ("http".equalsIgnoreCase(uri.getScheme())
              || "https".equalsIgnoreCase(uri.getScheme()));
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
