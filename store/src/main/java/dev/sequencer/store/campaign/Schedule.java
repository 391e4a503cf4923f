package dev.sequencer.store.campaign;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * When a campaign may send, in each lead's local time. Day sets are kept as comma separated text so
 * that the aggregate maps onto plain columns.
 */
public record Schedule(
    String timezone,
    LocalTime windowStart,
    LocalTime windowEnd,
    String businessDays,
    String holidayCalendar,
    String blackoutDates,
    String recurrence) {

  public static Schedule of(
      String timezone,
      LocalTime windowStart,
      LocalTime windowEnd,
      Set<DayOfWeek> businessDays,
      String holidayCalendar,
      Set<LocalDate> blackoutDates,
      String recurrence) {
    return new Schedule(
        timezone,
        windowStart,
        windowEnd,
        businessDays.stream()
            .sorted()
            .map(d -> d.name().substring(0, 3))
            .collect(Collectors.joining(",")),
        holidayCalendar,
        new TreeSet<>(blackoutDates)
            .stream().map(LocalDate::toString).collect(Collectors.joining(",")),
        recurrence);
  }

  public Set<DayOfWeek> businessDaySet() {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String token : businessDays.split(",")) {
      if (!token.isBlank()) {
        days.add(parseDay(token.trim()));
      }
    }
    return days;
  }

  public Set<LocalDate> blackoutDateSet() {
    return Arrays.stream(blackoutDates == null ? new String[0] : blackoutDates.split(","))
        .filter(s -> !s.isBlank())
        .map(LocalDate::parse)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Parses {@code MON}, {@code monday} and the like. */
  public static DayOfWeek parseDay(String token) {
    String upper = token.toUpperCase(java.util.Locale.ROOT);
    for (DayOfWeek day : DayOfWeek.values()) {
      if (day.name().equals(upper) || day.name().startsWith(upper) && upper.length() == 3) {
        return day;
      }
    }
    throw new IllegalArgumentException("not a day of the week: " + token);
  }
}
