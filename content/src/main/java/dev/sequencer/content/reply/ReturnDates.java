package dev.sequencer.content.reply;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the date an out-of-office message says its sender is back.
 *
 * <p>The date must follow a return phrase ({@code back}, {@code return}, {@code returning}, {@code
 * available again}: "I will be back in the office on Monday, January 10, 2028", "returning 3/14")
 * or an end phrase ({@code until}, {@code till}, {@code through}, {@code thru}: "on vacation until
 * the 5th"), possibly after a few linking words ("on", "in the office on", "to work on"). A return
 * phrase wins over an end phrase anywhere in the text; among equals the first wins. Without either,
 * the end of a date range is taken ("out 3/10 - 3/14", "from March 1st to March 5th", "March 1-5").
 * A date standing alone is not taken: it may be the day the sender left.
 *
 * <p>"until X", "back on X" and "returning X" all give X: whether X is the first day back or the
 * last day away is not knowable, so callers add a business day if they want to be sure. Dates
 * without a year resolve to their next occurrence on or after {@code receivedOn}; numeric dates
 * with slashes are US month/day/year. The full list of forms is on {@link DateExpressions}.
 */
public final class ReturnDates {

  private static final Pattern RETURN_PHRASE =
      Pattern.compile("\\b(?:back|return|returns|returning|(?:available|reachable)\\s+again)\\b");
  private static final Pattern END_PHRASE =
      Pattern.compile("\\b(?:until|till|til|through|thru|bis(?:\\s+zum|\\s+einschlie\\S*)?)\\b");
  private static final Set<String> RETURN_LINKS =
      Set.of(
          "in",
          "to",
          "into",
          "at",
          "the",
          "office",
          "work",
          "on",
          "from",
          "by",
          "again",
          "my",
          "desk",
          "starting",
          "as",
          "of",
          "after",
          "around",
          "approximately",
          "approx",
          "about",
          "and",
          "responding",
          "emails",
          "email",
          "e-mail",
          "online",
          "normal",
          "regular",
          "duties",
          "business",
          "date",
          "is",
          "will",
          "be",
          "hopefully",
          "probably",
          "expected",
          "scheduled",
          "planned",
          "latest",
          "until",
          "full-time");
  private static final Set<String> END_LINKS =
      Set.of("and", "including", "incl", "inclusive", "on", "after", "the", "end", "of");
  private static final Pattern LINK_WORD = Pattern.compile("[a-z][a-z.-]*");
  private static final Pattern GAP = Pattern.compile("[\\s,:;]*");
  private static final Pattern RANGE_SEPARATOR =
      Pattern.compile("\\s*(?:-|–|—|to|through|thru|until|till)\\s*");
  private static final Pattern SAME_MONTH_DAY =
      Pattern.compile("(?<day>\\d{1,2})(?:st|nd|rd|th)?(?![\\w/]|\\.\\d)");

  /** How many linking words may stand between a phrase and its date. */
  private static final int MAX_LINKS = 6;

  private ReturnDates() {}

  /** The return date the text names, if any; see the class comment. */
  public static Optional<LocalDate> find(String text, LocalDate receivedOn) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    Objects.requireNonNull(receivedOn, "receivedOn");
    String t = normalize(text);
    Optional<LocalDate> date = afterPhrase(t, RETURN_PHRASE, RETURN_LINKS, receivedOn);
    if (date.isEmpty()) {
      date = afterPhrase(t, END_PHRASE, END_LINKS, receivedOn);
    }
    return date.isPresent() ? date : rangeEnd(t, receivedOn);
  }

  static String normalize(String text) {
    return text.toLowerCase(Locale.ROOT).replace('\u2019', '\'').replaceAll("[\\s\\u00a0]+", " ");
  }

  private static Optional<LocalDate> afterPhrase(
      String t, Pattern phrase, Set<String> links, LocalDate receivedOn) {
    Matcher m = phrase.matcher(t);
    while (m.find()) {
      Optional<LocalDate> date = dateAfter(t, m.end(), links, receivedOn);
      if (date.isPresent()) {
        return date;
      }
    }
    return Optional.empty();
  }

  private static Optional<LocalDate> dateAfter(
      String t, int from, Set<String> links, LocalDate receivedOn) {
    int pos = from;
    for (int linked = 0; linked <= MAX_LINKS; linked++) {
      pos = skip(GAP, t, pos);
      Optional<DateExpressions.Parsed> parsed = DateExpressions.parseAt(t, pos, receivedOn);
      if (parsed.isPresent()) {
        return Optional.of(parsed.get().date());
      }
      Matcher word = LINK_WORD.matcher(t).region(pos, t.length());
      if (!word.lookingAt() || !links.contains(stripDots(word.group()))) {
        return Optional.empty();
      }
      pos = word.end();
    }
    return Optional.empty();
  }

  private static Optional<LocalDate> rangeEnd(String t, LocalDate receivedOn) {
    for (int pos = 0; pos < t.length(); pos++) {
      if (pos > 0 && Character.isLetterOrDigit(t.charAt(pos - 1))) {
        continue;
      }
      Optional<DateExpressions.Parsed> first = DateExpressions.fullDateAt(t, pos, receivedOn);
      if (first.isEmpty()) {
        continue;
      }
      Matcher separator = RANGE_SEPARATOR.matcher(t).region(first.get().end(), t.length());
      if (!separator.lookingAt()) {
        continue;
      }
      Optional<DateExpressions.Parsed> second =
          DateExpressions.fullDateAt(t, separator.end(), first.get().date());
      if (second.isPresent()) {
        return Optional.of(second.get().date());
      }
      Matcher day = SAME_MONTH_DAY.matcher(t).region(separator.end(), t.length());
      day.useTransparentBounds(true);
      if (day.lookingAt()) {
        LocalDate start = first.get().date();
        Optional<LocalDate> end =
            DateExpressions.resolve(
                start.getYear(), start.getMonthValue(), Integer.parseInt(day.group("day")), start);
        if (end.isPresent() && !end.get().isBefore(start)) {
          return end;
        }
      }
    }
    return Optional.empty();
  }

  private static int skip(Pattern pattern, String t, int pos) {
    Matcher m = pattern.matcher(t).region(pos, t.length());
    return m.lookingAt() ? m.end() : pos;
  }

  private static String stripDots(String word) {
    return word.endsWith(".") ? word.substring(0, word.length() - 1) : word;
  }
}
