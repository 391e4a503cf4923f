package dev.sequencer.content.reply;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one date expression at a given position of lower-cased, whitespace-collapsed text.
 *
 * <p>Understood: ISO {@code 2027-03-14}; numeric {@code 3/14}, {@code 3/14/27}, {@code 3/14/2027}
 * (US month first; a first number over 12 is read as the day), {@code 14.03.2027} (day first);
 * {@code march 3rd}, {@code mar. 3, 2027}, {@code 14 march 2027}, {@code the 14th of march}; any of
 * these after a weekday ({@code monday, january 10, 2028}); a day of the month after a weekday or
 * {@code the} ({@code monday the 5th}, {@code the 5th}, {@code 5th}); a weekday alone, with {@code
 * next}, {@code this} or {@code coming} or without; {@code tomorrow}; {@code next week}.
 *
 * <p>A date without a year is the first such date on or after the day the text was received. A
 * weekday alone is the first such weekday after that day ("back Monday" on a Monday means a week
 * later; "next Monday" is the first Monday after that day too). A day of the month alone is the
 * first such day on or after that day, and with a weekday the first that falls on it. {@code next
 * week} is the Monday after. Two-digit years are 20xx.
 */
final class DateExpressions {

  /** A date read from the text, and where its expression ends. */
  record Parsed(LocalDate date, int end) {}

  private static final String MONTH =
      "(?<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          + "|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
  private static final String WEEKDAY =
      "(?<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday"
          + "|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\\.?";
  private static final String DAY = "(?<day>\\d{1,2})(?:st|nd|rd|th)?";
  private static final String YEAR = "(?:,?\\s*(?<year>\\d{4})(?!\\d))?";

  private static final Pattern ISO =
      Pattern.compile("(?<year>\\d{4})-(?<month>\\d{1,2})-(?<day>\\d{1,2})(?![\\d-])");
  private static final Pattern SLASHED =
      Pattern.compile(
          "(?<first>\\d{1,2})/(?<second>\\d{1,2})(?:/(?<year>\\d{4}|\\d{2}))?(?![\\d/])");
  private static final Pattern DOTTED =
      Pattern.compile("(?<day>\\d{1,2})\\.(?<month>\\d{1,2})\\.(?:(?<year>\\d{4}|\\d{2})(?!\\d))?");
  private static final Pattern MONTH_DAY =
      Pattern.compile(MONTH + "\\s+(?:the\\s+)?" + DAY + "(?![\\d:])\\b" + YEAR);
  private static final Pattern DAY_MONTH =
      Pattern.compile("(?:the\\s+)?" + DAY + "(?:\\s+of)?\\s+" + MONTH + "\\b" + YEAR);
  private static final Pattern DAY_ONLY =
      Pattern.compile(
          "(?:the\\s+(?<day>\\d{1,2})(?:st|nd|rd|th)?|(?<ordinal>\\d{1,2})(?:st|nd|rd|th))"
              + "(?![\\w:/]|\\.\\d)");
  private static final Pattern WEEKDAY_PREFIX =
      Pattern.compile(WEEKDAY + "(?![a-z])(?:\\s*,\\s*|\\s+)");
  private static final Pattern WEEKDAY_ALONE =
      Pattern.compile("(?:(?:this\\s+coming|next|this|coming)\\s+)?" + WEEKDAY + "(?![a-z])");
  private static final Pattern TOMORROW = Pattern.compile("tomorrow\\b");
  private static final Pattern NEXT_WEEK = Pattern.compile("next\\s+week\\b");

  private static final Map<String, DayOfWeek> WEEKDAYS =
      Map.ofEntries(
          Map.entry("mon", DayOfWeek.MONDAY),
          Map.entry("tue", DayOfWeek.TUESDAY),
          Map.entry("wed", DayOfWeek.WEDNESDAY),
          Map.entry("thu", DayOfWeek.THURSDAY),
          Map.entry("fri", DayOfWeek.FRIDAY),
          Map.entry("sat", DayOfWeek.SATURDAY),
          Map.entry("sun", DayOfWeek.SUNDAY));
  private static final String MONTH_PREFIXES = "janfebmaraprmayjunjulaugsepoctnovdec";

  /** How far ahead a weekday and a day of the month are looked for together. */
  private static final int WEEKDAY_DAY_SEARCH_MONTHS = 14;

  private DateExpressions() {}

  /** A date expression of any kind starting exactly at {@code pos}. */
  static Optional<Parsed> parseAt(String text, int pos, LocalDate receivedOn) {
    Matcher m = at(TOMORROW, text, pos);
    if (m != null) {
      return Optional.of(new Parsed(receivedOn.plusDays(1), m.end()));
    }
    m = at(NEXT_WEEK, text, pos);
    if (m != null) {
      return Optional.of(
          new Parsed(receivedOn.with(TemporalAdjusters.next(DayOfWeek.MONDAY)), m.end()));
    }
    Matcher prefix = at(WEEKDAY_PREFIX, text, pos);
    if (prefix != null) {
      DayOfWeek weekday = weekday(prefix.group("weekday"));
      Optional<Parsed> dated = calendarDate(text, prefix.end(), receivedOn, weekday);
      if (dated.isPresent()) {
        return dated;
      }
    }
    Optional<Parsed> dated = calendarDate(text, pos, receivedOn, null);
    if (dated.isPresent()) {
      return dated;
    }
    m = at(WEEKDAY_ALONE, text, pos);
    if (m != null) {
      DayOfWeek weekday = weekday(m.group("weekday"));
      return Optional.of(new Parsed(receivedOn.with(TemporalAdjusters.next(weekday)), m.end()));
    }
    return Optional.empty();
  }

  /** A date with a month (numeric or named) starting exactly at {@code pos}. */
  static Optional<Parsed> fullDateAt(String text, int pos, LocalDate receivedOn) {
    Matcher prefix = at(WEEKDAY_PREFIX, text, pos);
    int start = prefix == null ? pos : prefix.end();
    Optional<Parsed> dated = monthDate(text, start, receivedOn);
    return dated.isPresent() || prefix == null ? dated : monthDate(text, pos, receivedOn);
  }

  private static Optional<Parsed> calendarDate(
      String text, int pos, LocalDate receivedOn, DayOfWeek weekday) {
    Optional<Parsed> dated = monthDate(text, pos, receivedOn);
    if (dated.isPresent()) {
      return dated;
    }
    Matcher m = at(DAY_ONLY, text, pos);
    if (m == null) {
      return Optional.empty();
    }
    String day = m.group("day") != null ? m.group("day") : m.group("ordinal");
    return dayOfMonth(Integer.parseInt(day), weekday, receivedOn)
        .map(date -> new Parsed(date, m.end()));
  }

  private static Optional<Parsed> monthDate(String text, int pos, LocalDate receivedOn) {
    Matcher m = at(ISO, text, pos);
    if (m != null) {
      return date(m, number(m, "year"), number(m, "month"), number(m, "day"), receivedOn);
    }
    m = at(SLASHED, text, pos);
    if (m != null) {
      int first = number(m, "first");
      int second = number(m, "second");
      boolean dayFirst = first > 12 && second <= 12;
      return date(m, year(m), dayFirst ? second : first, dayFirst ? first : second, receivedOn);
    }
    m = at(DOTTED, text, pos);
    if (m != null) {
      return date(m, year(m), number(m, "month"), number(m, "day"), receivedOn);
    }
    m = at(MONTH_DAY, text, pos);
    if (m == null) {
      m = at(DAY_MONTH, text, pos);
    }
    if (m != null) {
      return date(m, year(m), month(m.group("month")), number(m, "day"), receivedOn);
    }
    return Optional.empty();
  }

  private static Optional<Parsed> date(
      Matcher m, Integer year, int month, int day, LocalDate receivedOn) {
    return resolve(year, month, day, receivedOn).map(date -> new Parsed(date, m.end()));
  }

  /** The date, or for a missing year the first such date on or after {@code receivedOn}. */
  static Optional<LocalDate> resolve(Integer year, int month, int day, LocalDate receivedOn) {
    if (month < 1 || month > 12 || day < 1 || day > 31) {
      return Optional.empty();
    }
    if (year != null) {
      return valid(year, month, day);
    }
    // Four years cover 29 February.
    for (int y = receivedOn.getYear(); y <= receivedOn.getYear() + 4; y++) {
      Optional<LocalDate> candidate = valid(y, month, day);
      if (candidate.isPresent() && !candidate.get().isBefore(receivedOn)) {
        return candidate;
      }
    }
    return Optional.empty();
  }

  private static Optional<LocalDate> dayOfMonth(int day, DayOfWeek weekday, LocalDate receivedOn) {
    if (day < 1 || day > 31) {
      return Optional.empty();
    }
    Optional<LocalDate> first = Optional.empty();
    LocalDate month = receivedOn.withDayOfMonth(1);
    for (int i = 0; i <= WEEKDAY_DAY_SEARCH_MONTHS; i++, month = month.plusMonths(1)) {
      Optional<LocalDate> candidate = valid(month.getYear(), month.getMonthValue(), day);
      if (candidate.isEmpty() || candidate.get().isBefore(receivedOn)) {
        continue;
      }
      if (weekday == null || candidate.get().getDayOfWeek() == weekday) {
        return candidate;
      }
      if (first.isEmpty()) {
        first = candidate;
      }
    }
    return first;
  }

  private static Optional<LocalDate> valid(int year, int month, int day) {
    try {
      return Optional.of(LocalDate.of(year, month, day));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  private static Matcher at(Pattern pattern, String text, int pos) {
    Matcher m = pattern.matcher(text).region(pos, text.length());
    m.useTransparentBounds(true);
    return m.lookingAt() ? m : null;
  }

  private static int number(Matcher m, String group) {
    return Integer.parseInt(m.group(group));
  }

  private static Integer year(Matcher m) {
    String year = m.group("year");
    if (year == null) {
      return null;
    }
    int value = Integer.parseInt(year);
    return year.length() == 2 ? 2000 + value : value;
  }

  private static int month(String name) {
    return MONTH_PREFIXES.indexOf(name.substring(0, 3)) / 3 + 1;
  }

  private static DayOfWeek weekday(String name) {
    return WEEKDAYS.get(name.substring(0, 3));
  }
}
