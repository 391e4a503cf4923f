package dev.sequencer.workflows.schedule;

import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;

/**
 * Which dates are business days under a campaign's rules: a day of {@code businessDays}, not a
 * holiday of {@code holidayCalendar} (as observed) and not a blackout date. Dates are lead-local.
 *
 * <p>Holiday tables are cached process-wide, so instances are cheap; an instance is immutable and
 * thread-safe.
 */
public final class BusinessCalendar {

  /** How far to look for a business day before concluding the rules allow none (ten years). */
  static final int MAX_SCAN_DAYS = 3_660;

  private final ScheduleRules rules;

  /**
   * @throws IllegalArgumentException when the rules name an unsupported holiday calendar
   */
  public BusinessCalendar(ScheduleRules rules) {
    if (rules == null) {
      throw new IllegalArgumentException("rules are required");
    }
    if (rules.holidayCalendar() != null && !isSupportedCalendar(rules.holidayCalendar())) {
      throw new IllegalArgumentException(
          "unsupported holiday calendar: " + rules.holidayCalendar());
    }
    this.rules = rules;
  }

  /**
   * Whether {@code code} names a holiday calendar: an upper-case ISO 3166 alpha-2 country code that
   * Jollyday has a table for ("US", "DE", "GB", ...). Null is not a calendar (it means none).
   */
  public static boolean isSupportedCalendar(String code) {
    return PublicHolidays.isSupported(code);
  }

  public boolean isBusinessDay(LocalDate date) {
    return rules.businessDays().contains(date.getDayOfWeek())
        && !isHoliday(date)
        && !rules.blackoutDates().contains(date);
  }

  /** Whether {@code date} is a holiday of the calendar as observed (the day off). */
  public boolean isHoliday(LocalDate date) {
    return rules.holidayCalendar() != null
        && PublicHolidays.observedIn(rules.holidayCalendar(), date.getYear()).containsKey(date);
  }

  /**
   * The date {@code days} business days after {@code from}; {@code from} itself need not be a
   * business day. For 0: {@code from} when it is a business day, else the next business day.
   *
   * @throws IllegalArgumentException when {@code days} is negative
   * @throws IllegalStateException when the rules leave no business day within ten years
   */
  public LocalDate addBusinessDays(LocalDate from, int days) {
    if (days < 0) {
      throw new IllegalArgumentException("days must not be negative: " + days);
    }
    if (days == 0) {
      return nextBusinessDay(from);
    }
    LocalDate date = from;
    for (int counted = 0; counted < days; ) {
      date = nextBusinessDay(date.plusDays(1));
      counted++;
    }
    return date;
  }

  /** {@code date} when it is a business day, else the first business day after it. */
  LocalDate nextBusinessDay(LocalDate date) {
    LocalDate candidate = date;
    for (int i = 0; i < MAX_SCAN_DAYS; i++, candidate = candidate.plusDays(1)) {
      if (isBusinessDay(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no business day within ten years after " + date);
  }

  /**
   * The calendar's holidays whose observed date falls in {@code year} (so 2027 includes Friday
   * 2027-12-31, the observed New Year's Day 2028 in the U.S.). Empty without a calendar.
   */
  public Set<LocalDate> holidays(int year) {
    if (rules.holidayCalendar() == null) {
      return Set.of();
    }
    return PublicHolidays.observedIn(rules.holidayCalendar(), year).keySet();
  }

  /** The English name of the holiday observed on {@code date}, if any. */
  public Optional<String> holidayName(LocalDate date) {
    if (rules.holidayCalendar() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        PublicHolidays.observedIn(rules.holidayCalendar(), date.getYear()).get(date));
  }

  /**
   * Why {@code date} is not a business day: "holiday", "weekend" (not one of the business days),
   * "blackout", or null when it is a business day. A date with several reasons gives the first.
   */
  public String reasonNotBusinessDay(LocalDate date) {
    if (isHoliday(date)) {
      return SendPlanner.REASON_HOLIDAY;
    }
    if (!rules.businessDays().contains(date.getDayOfWeek())) {
      return SendPlanner.REASON_WEEKEND;
    }
    if (rules.blackoutDates().contains(date)) {
      return SendPlanner.REASON_BLACKOUT;
    }
    return null;
  }
}
