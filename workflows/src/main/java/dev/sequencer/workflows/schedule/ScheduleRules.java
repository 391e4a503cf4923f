package dev.sequencer.workflows.schedule;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A campaign's scheduling rules, as configured on the campaign (API.md, "Scheduling semantics").
 *
 * <p>The sets are normalised to unmodifiable sets with a fixed iteration order (days Monday first,
 * dates ascending), so the record serialises the same way on every worker.
 *
 * @param timezone campaign default IANA zone, also the day boundary of daily limits
 * @param windowStart start of the send window in lead local time; null = whole day (00:00)
 * @param windowEnd end of the send window, exclusive; null = end of day
 * @param businessDays the days of the week messages may be sent; never empty
 * @param holidayCalendar ISO 3166 alpha-2 country code ("US", "DE", ...) or null for no holidays
 * @param blackoutDates extra non-business dates, lead local; null is read as none
 */
public record ScheduleRules(
    String timezone,
    LocalTime windowStart,
    LocalTime windowEnd,
    Set<DayOfWeek> businessDays,
    String holidayCalendar,
    Set<LocalDate> blackoutDates) {

  /** TCPA quiet hours: SMS may only be sent between 08:00 and 21:00 recipient local time. */
  static final LocalTime SMS_EARLIEST = LocalTime.of(8, 0);

  static final LocalTime SMS_LATEST = LocalTime.of(21, 0);

  public ScheduleRules {
    if (timezone == null) {
      throw new IllegalArgumentException("timezone is required");
    }
    try {
      ZoneId.of(timezone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("unknown time zone: " + timezone, e);
    }
    if (windowStart != null && windowEnd != null && !windowEnd.isAfter(windowStart)) {
      throw new IllegalArgumentException(
          "send window end "
              + windowEnd
              + " must be after its start "
              + windowStart
              + " (use null for end of day)");
    }
    if (windowStart == null && windowEnd != null && windowEnd.equals(LocalTime.MIDNIGHT)) {
      throw new IllegalArgumentException(
          "send window end 00:00 is empty (use null for end of day)");
    }
    if (businessDays == null || businessDays.isEmpty()) {
      throw new IllegalArgumentException("business days must not be empty");
    }
    if (businessDays.stream().anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException("business days must not contain null");
    }
    businessDays = Collections.unmodifiableSet(EnumSet.copyOf(businessDays));
    if (holidayCalendar != null && !BusinessCalendar.isSupportedCalendar(holidayCalendar)) {
      throw new IllegalArgumentException("unsupported holiday calendar: " + holidayCalendar);
    }
    if (blackoutDates == null) {
      blackoutDates = Set.of();
    } else {
      if (blackoutDates.stream().anyMatch(Objects::isNull)) {
        throw new IllegalArgumentException("blackout dates must not contain null");
      }
      blackoutDates = Collections.unmodifiableSortedSet(new TreeSet<>(blackoutDates));
    }
  }

  /**
   * The API defaults: whole day, Monday to Friday, U.S. federal holidays, no blackout dates.
   *
   * @param timezone the campaign's IANA zone
   */
  public static ScheduleRules defaults(String timezone) {
    return new ScheduleRules(
        timezone, null, null, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), "US", Set.of());
  }

  /**
   * The same rules with the send window clamped into 08:00-21:00 (TCPA quiet hours): a missing
   * window becomes 08:00-21:00, 07:00-22:00 becomes 08:00-21:00, 09:00-17:00 stays.
   *
   * @throws IllegalArgumentException when the window lies wholly outside 08:00-21:00
   */
  public ScheduleRules forSms() {
    LocalTime start =
        windowStart == null || windowStart.isBefore(SMS_EARLIEST) ? SMS_EARLIEST : windowStart;
    LocalTime end = windowEnd == null || windowEnd.isAfter(SMS_LATEST) ? SMS_LATEST : windowEnd;
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException(
          "send window "
              + windowStart
              + "-"
              + windowEnd
              + " lies outside the SMS hours "
              + SMS_EARLIEST
              + "-"
              + SMS_LATEST);
    }
    return new ScheduleRules(timezone, start, end, businessDays, holidayCalendar, blackoutDates);
  }
}
