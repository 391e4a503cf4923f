package dev.sequencer.store.quota;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A campaign's daily capacity as slots: the store's table for real sends, an in-memory ledger for a
 * simulation. Both answer with the same rule, so a simulation projects what the service does.
 */
public interface DaySlots {

  /**
   * Takes one unit of {@code day}'s capacity together with its slot: the first instant at or after
   * {@code earliest} that is at least {@code spacing} after the day's previous slot, if that is
   * before {@code end} and the day has a unit left.
   *
   * @return the slot, or empty when the day is full
   */
  Optional<Instant> takeSlot(
      String campaignId, LocalDate day, int limit, Instant earliest, Duration spacing, Instant end);
}
