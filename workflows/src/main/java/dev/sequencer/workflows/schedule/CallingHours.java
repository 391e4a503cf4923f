package dev.sequencer.workflows.schedule;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The hours of each day of the week in which a US state allows marketing calls and texts, in the
 * recipient's local time. Only states stricter than the federal 08:00-21:00 have any ({@link
 * StateCallingHours}).
 *
 * @param state the state's two-letter code
 * @param days every day of the week with its hours
 */
public record CallingHours(String state, Map<DayOfWeek, Hours> days) {

  /** From {@code start} up to, excluding, {@code end}. */
  public record Hours(LocalTime start, LocalTime end) {
    public Hours {
      if (start == null || end == null || !end.isAfter(start)) {
        throw new IllegalArgumentException("hours need a start before their end");
      }
    }

    @Override
    public String toString() {
      return start + "-" + end;
    }
  }

  public CallingHours {
    if (state == null || days == null || days.size() != DayOfWeek.values().length) {
      throw new IllegalArgumentException("calling hours need a state and every day of the week");
    }
    days = Collections.unmodifiableMap(new EnumMap<>(days));
  }

  /** The same hours every day. */
  static CallingHours everyDay(String state, LocalTime start, LocalTime end) {
    Map<DayOfWeek, Hours> days = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek day : DayOfWeek.values()) {
      days.put(day, new Hours(start, end));
    }
    return new CallingHours(state, days);
  }

  public Hours on(DayOfWeek day) {
    return days.get(day);
  }
}
