package dev.sequencer.content.reply;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes quoted earlier messages and signatures from a plain-text reply, keeping what the sender
 * wrote.
 *
 * <p>Removed:
 *
 * <ul>
 *   <li>every line starting with {@code >} (also in interleaved and bottom-posted replies);
 *   <li>an attribution line such as Gmail's {@code On Mon, Jan 4, 2027 at 9:00 AM Ada
 *       <ada@acme.test> wrote:} or Apple Mail's {@code On 4 Jan 2027, at 09:00, Ada <ada@acme.test>
 *       wrote:}, also when wrapped over two or three lines. When {@code >}-quoted lines follow it,
 *       only the attribution and those lines go (text after them is a bottom-posted reply);
 *       otherwise everything from it on goes;
 *   <li>everything from Outlook's {@code -----Original Message-----}, from a {@code From:} header
 *       block followed by {@code Sent:} or {@code Date:} and {@code To:} or {@code Subject:} (with
 *       the {@code ________________________________} line before it), from {@code ----------
 *       Forwarded message ---------} and {@code Begin forwarded message:};
 *   <li>everything from a signature delimiter line {@code -- } (also without its trailing space)
 *       and from a mobile footer: {@code Sent from my iPhone}, {@code Sent from Mail for Windows},
 *       {@code Get Outlook for iOS}, {@code Get Outlook for Android} and their kin.
 * </ul>
 *
 * <p>The result is trimmed; it is empty when the body held nothing but quotes.
 */
public final class QuotedText {

  private static final Pattern ATTRIBUTION_START =
      Pattern.compile("^\\s*(?:on|am|le|el|op|il)\\s+\\S.*", Pattern.CASE_INSENSITIVE);
  private static final Pattern ATTRIBUTION =
      Pattern.compile(
          "^\\s*(?:on\\s.*\\bwrote|am\\s.*\\bschrieb.*|le\\s.*\\ba\\s+écrit\\s*)\\s*:\\s*$",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern ORIGINAL_MESSAGE =
      Pattern.compile(
          "^\\s*-{2,}\\s*(?:original message|forwarded message|ursprüngliche nachricht)\\s*-{2,}\\s*$"
              + "|^\\s*begin forwarded message:\\s*$",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern SEPARATOR = Pattern.compile("^\\s*_{10,}\\s*$");
  private static final Pattern HEADER_FROM =
      Pattern.compile("^\\s*\\*?(?:from|von|de)\\s*:\\*?\\s*\\S.*", Pattern.CASE_INSENSITIVE);
  private static final Pattern HEADER_SENT =
      Pattern.compile(
          "^\\s*\\*?(?:sent|date|gesendet|datum|envoyé)\\s*:\\*?\\s*\\S.*",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern HEADER_TO_OR_SUBJECT =
      Pattern.compile(
          "^\\s*\\*?(?:to|cc|subject|an|betreff|à|objet)\\s*:\\*?.*", Pattern.CASE_INSENSITIVE);
  private static final Pattern SIGNATURE_DELIMITER = Pattern.compile("^--\\s*$");
  private static final Pattern MOBILE_FOOTER =
      Pattern.compile(
          "^\\s*(?:sent from (?:my|mail for|yahoo mail|outlook|samsung)\\b.{0,50}"
              + "|get outlook for (?:ios|android)\\b.{0,60}"
              + "|von meinem (?:iphone|ipad|smartphone)\\b.{0,30})$",
          Pattern.CASE_INSENSITIVE);

  /** How many lines a wrapped attribution may take. */
  private static final int ATTRIBUTION_LINES = 3;

  /** How many lines after {@code From:} the rest of a header block must start. */
  private static final int HEADER_BLOCK_LINES = 6;

  private QuotedText() {}

  /** The reply text above quoted earlier messages and the signature; see the class comment. */
  public static String strip(String body) {
    if (body == null || body.isEmpty()) {
      return "";
    }
    List<String> lines = List.of(body.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1));
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (isQuoted(line)) {
        continue;
      }
      int attribution = attributionLength(lines, i);
      if (attribution > 0) {
        int next = nextNonBlank(lines, i + attribution);
        if (next < lines.size() && isQuoted(lines.get(next))) {
          i += attribution - 1;
          continue;
        }
        break;
      }
      if (ORIGINAL_MESSAGE.matcher(line).matches()
          || SIGNATURE_DELIMITER.matcher(line).matches()
          || MOBILE_FOOTER.matcher(line).matches()
          || isHeaderBlock(lines, i)) {
        break;
      }
      if (SEPARATOR.matcher(line).matches()) {
        int next = nextNonBlank(lines, i + 1);
        if (next < lines.size() && isHeaderBlock(lines, next)) {
          break;
        }
      }
      kept.add(line);
    }
    return String.join("\n", kept).strip();
  }

  private static boolean isQuoted(String line) {
    return line.stripLeading().startsWith(">");
  }

  /** The number of lines an attribution starting at line {@code i} takes, or 0 when none does. */
  private static int attributionLength(List<String> lines, int i) {
    if (!ATTRIBUTION_START.matcher(lines.get(i)).matches()) {
      return 0;
    }
    StringBuilder joined = new StringBuilder();
    for (int n = 0; n < ATTRIBUTION_LINES && i + n < lines.size(); n++) {
      String line = lines.get(i + n);
      if (n > 0 && (line.isBlank() || isQuoted(line))) {
        return 0;
      }
      joined.append(n == 0 ? "" : " ").append(line.strip());
      if (ATTRIBUTION.matcher(joined).matches()) {
        return n + 1;
      }
    }
    return 0;
  }

  private static boolean isHeaderBlock(List<String> lines, int i) {
    if (!HEADER_FROM.matcher(lines.get(i)).matches()) {
      return false;
    }
    boolean sent = false;
    int end = Math.min(lines.size(), i + 1 + HEADER_BLOCK_LINES);
    for (int j = i + 1; j < end; j++) {
      String line = lines.get(j);
      if (HEADER_SENT.matcher(line).matches()) {
        sent = true;
      } else if (sent && HEADER_TO_OR_SUBJECT.matcher(line).matches()) {
        return true;
      }
    }
    return false;
  }

  private static int nextNonBlank(List<String> lines, int from) {
    int i = from;
    while (i < lines.size() && lines.get(i).isBlank()) {
      i++;
    }
    return i;
  }
}
