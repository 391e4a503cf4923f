package dev.sequencer.store.trigger;

import dev.sequencer.store.audience.Condition;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * What starts a triggered campaign's sequence for a contact: an event of type {@code event} whose
 * properties and contact meet every condition, {@code delayMinutes} after it happened, at most
 * {@code frequency.limit} times per contact within {@code frequency.windowHours}, never inside the
 * quiet hours.
 *
 * @param quietHours local hours ({@code "HH:MM"}, in the contact's zone, else the campaign's) a
 *     sequence does not start in; null for none
 */
public record Trigger(
    String event,
    List<Condition> conditions,
    int delayMinutes,
    Frequency frequency,
    QuietHours quietHours) {

  public Trigger {
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
  }

  /** At most {@code limit} enrolments of one contact within {@code windowHours}. */
  public record Frequency(int limit, int windowHours) {}

  /** From {@code start} to {@code end}, local {@code "HH:MM"}; may span midnight. */
  public record QuietHours(String start, String end) {

    /**
     * {@code at}, or the end of the quiet hours {@code at} falls in, in {@code zone}. A start or
     * end of {@code 00:00} means midnight; an end that does not exist that day (a DST gap) moves
     * forward with the gap.
     */
    public Instant firstAllowed(Instant at, ZoneId zone) {
      LocalTime from = LocalTime.parse(start);
      LocalTime to = LocalTime.parse(end);
      ZonedDateTime local = at.atZone(zone);
      LocalTime time = local.toLocalTime();
      boolean overnight = from.isAfter(to);
      boolean inside =
          overnight
              ? !time.isBefore(from) || time.isBefore(to)
              : !time.isBefore(from) && time.isBefore(to);
      if (!inside) {
        return at;
      }
      LocalDate endDay =
          overnight && !time.isBefore(from) ? local.toLocalDate().plusDays(1) : local.toLocalDate();
      return ZonedDateTime.of(endDay, to, zone).toInstant();
    }
  }
}
