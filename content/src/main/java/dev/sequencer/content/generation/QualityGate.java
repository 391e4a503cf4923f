package dev.sequencer.content.generation;

import dev.sequencer.content.SmsSegments;
import dev.sequencer.content.links.BodyLinks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks a model's text passes before it may be stored as sendable. Each rule names what it
 * found, so a person reviewing the text (or the lead's timeline) sees why it was refused.
 */
public final class QualityGate {

  public static final String EMPTY = "empty";
  public static final String TOO_LONG = "too_long";
  public static final String SMS_SEGMENTS = "sms_segments";
  public static final String PLACEHOLDER = "unrendered_placeholder";
  public static final String MISSING_FACT = "missing_fact";
  public static final String FOREIGN_LINK = "foreign_link";
  public static final String DENIED_PHRASE = "denied_phrase";
  public static final String REPEATS_STEP = "repeats_step";

  /**
   * Template syntax that was not rendered ({@code {{first_name}}}, {@code {company}}) and the
   * bracketed stand-ins models write when a fact is missing ({@code [First Name]}, {@code
   * <company>}, {@code [insert link]}).
   */
  private static final Pattern PLACEHOLDER_PATTERN =
      Pattern.compile(
          "\\{\\{[^}]*}}|\\{\\{|}}|\\{[a-zA-Z_][a-zA-Z0-9_ ]*}|\\[[A-Za-z][A-Za-z0-9 _'-]{0,40}]"
              + "|<(?:first[_ ]?name|last[_ ]?name|name|company|title|link|url)>",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");

  /** {@code www.} followed by a host, outside an http(s) link. */
  private static final Pattern BARE_LINK =
      Pattern.compile("(?<![/\\w.])www\\.[\\w-]+(\\.[\\w-]+)+[^\\s<>\".,;:!?)]*");

  private QualityGate() {}

  /**
   * @param others the lead's other generated steps, which this one must not repeat
   * @return the rules the text breaks; empty when it may be sent
   */
  public static List<Rejection> check(
      GeneratedText text, QualityRules rules, List<GeneratedText> others) {
    List<Rejection> found = new ArrayList<>();
    String body = text.body() == null ? "" : text.body().strip();
    String subject = text.subject() == null ? "" : text.subject().strip();
    if (body.isEmpty()) {
      found.add(new Rejection(EMPTY, "the body is empty"));
      return found;
    }
    int words = words(body).size();
    if (rules.maxWords() > 0 && words > rules.maxWords()) {
      found.add(new Rejection(TOO_LONG, words + " words, at most " + rules.maxWords()));
    }
    if (subject.length() > QualityRules.MAX_SUBJECT_CHARACTERS) {
      found.add(
          new Rejection(
              TOO_LONG,
              "subject of "
                  + subject.length()
                  + " characters, at most "
                  + QualityRules.MAX_SUBJECT_CHARACTERS));
    }
    if (rules.maxSmsSegments() > 0) {
      int segments = SmsSegments.of(body).segments();
      if (segments > rules.maxSmsSegments()) {
        found.add(
            new Rejection(SMS_SEGMENTS, segments + " segments, at most " + rules.maxSmsSegments()));
      }
    }
    String all = subject.isEmpty() ? body : subject + "\n" + body;
    Matcher placeholder = PLACEHOLDER_PATTERN.matcher(all);
    if (placeholder.find()) {
      found.add(new Rejection(PLACEHOLDER, placeholder.group()));
    }
    String lower = all.toLowerCase(Locale.ROOT);
    for (Map.Entry<String, String> fact : rules.requiredFacts().entrySet()) {
      String value = fact.getValue() == null ? "" : fact.getValue().strip();
      if (!value.isEmpty() && !lower.contains(value.toLowerCase(Locale.ROOT))) {
        found.add(new Rejection(MISSING_FACT, fact.getKey() + " (" + value + ")"));
      }
    }
    Matcher link = BodyLinks.URL.matcher(all);
    while (link.find()) {
      if (!rules.allowedLinks().contains(link.group())) {
        found.add(new Rejection(FOREIGN_LINK, link.group()));
      }
    }
    // A link without its scheme is a link all the same to most mail clients.
    Matcher bare = BARE_LINK.matcher(all);
    while (bare.find()) {
      String candidate = bare.group();
      if (rules.allowedLinks().stream().noneMatch(l -> l.contains(candidate))) {
        found.add(new Rejection(FOREIGN_LINK, candidate));
      }
    }
    for (String phrase : rules.deniedPhrases()) {
      if (containsPhrase(lower, phrase.toLowerCase(Locale.ROOT))) {
        found.add(new Rejection(DENIED_PHRASE, phrase));
      }
    }
    for (GeneratedText other : others) {
      if (other.step().equals(text.step()) || other.body() == null) {
        continue;
      }
      double similarity = similarity(body, other.body());
      if (similarity > rules.maxSimilarity()) {
        found.add(
            new Rejection(
                REPEATS_STEP,
                String.format(
                    Locale.ROOT,
                    "%s (similarity %.2f, at most %.2f)",
                    other.step(),
                    similarity,
                    rules.maxSimilarity())));
      }
    }
    return found;
  }

  /**
   * Jaccard similarity of the two texts' sets of three-word shingles (lower case, words only): 1
   * for the same words in the same order, 0 for no run of three words in common.
   */
  public static double similarity(String a, String b) {
    Set<String> left = shingles(a);
    Set<String> right = shingles(b);
    if (left.isEmpty() && right.isEmpty()) {
      return a.strip().equalsIgnoreCase(b.strip()) ? 1 : 0;
    }
    Set<String> both = new HashSet<>(left);
    both.retainAll(right);
    Set<String> either = new HashSet<>(left);
    either.addAll(right);
    return (double) both.size() / either.size();
  }

  private static Set<String> shingles(String text) {
    List<String> words = words(text);
    Set<String> shingles = new HashSet<>();
    for (int i = 0; i + 3 <= words.size(); i++) {
      shingles.add(words.get(i) + " " + words.get(i + 1) + " " + words.get(i + 2));
    }
    return shingles;
  }

  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      words.add(m.group());
    }
    return words;
  }

  private static boolean containsPhrase(String text, String phrase) {
    String p = phrase.strip();
    if (p.isEmpty()) {
      return false;
    }
    return Pattern.compile(
            "(?<![\\p{L}\\p{N}])" + Pattern.quote(p) + "(?![\\p{L}\\p{N}])", Pattern.UNICODE_CASE)
        .matcher(text)
        .find();
  }
}
