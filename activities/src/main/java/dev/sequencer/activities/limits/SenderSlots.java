package dev.sequencer.activities.limits;

import dev.sequencer.store.quota.DaySlots;
import dev.sequencer.store.sender.RegisteredSender;
import dev.sequencer.store.sender.SenderCapacity;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A sender's capacity as slots of the days of its own zone: each day's limit (ramped up for a new
 * mailbox) across all campaigns, and its least spacing plus a little jitter, stable per step, so
 * that its sends do not tick like a clock. Pure over its {@link DaySlots}.
 */
public final class SenderSlots {

  static final Duration MAX_JITTER = Duration.ofSeconds(60);

  private SenderSlots() {}

  /** A unit of the sender's {@code day} and the instant its send may go out. */
  public record Taken(Instant at, LocalDate day) {}

  /**
   * Takes a unit of the sender's day of {@code earliest} with a slot at or after it, before {@code
   * until} and before that day ends.
   *
   * @return the slot, or empty when the day is full or has no room before then
   */
  public static Optional<Taken> take(
      RegisteredSender sender, String key, Instant earliest, Instant until, DaySlots slots) {
    SenderCapacity capacity = sender.capacity();
    LocalDate day = LocalDate.ofInstant(earliest, capacity.zone());
    Instant end = min(until, dayEnd(sender, earliest));
    Duration spacing =
        capacity.minSpacingSeconds() == null
            ? Duration.ZERO
            : Duration.ofSeconds(capacity.minSpacingSeconds());
    // The ledger spaces slots by the spacing plus the jitter's bound, and each send goes out up to
    // that bound after its slot: two sends are never closer than the spacing.
    Duration bound = jitterBound(spacing);
    Instant last = end.minus(bound);
    return slots
        .takeSlot(sender.id(), day, capacity.limitOn(day), earliest, spacing.plus(bound), last)
        .map(slot -> new Taken(slot.plus(jitter(key, bound)), day));
  }

  /** The first instant of the sender's next day after the one {@code at} falls on. */
  public static Instant dayEnd(RegisteredSender sender, Instant at) {
    var zone = sender.capacity().zone();
    return LocalDate.ofInstant(at, zone).plusDays(1).atStartOfDay(zone).toInstant();
  }

  private static Duration jitterBound(Duration spacing) {
    Duration quarter = spacing.dividedBy(4);
    return quarter.compareTo(MAX_JITTER) > 0 ? MAX_JITTER : quarter;
  }

  private static Duration jitter(String key, Duration bound) {
    long millis = bound.toMillis();
    return millis <= 0 ? Duration.ZERO : Duration.ofMillis(Math.floorMod(key.hashCode(), millis));
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
