package dev.sequencer.simulation;

import dev.sequencer.store.quota.DailyQuota.DayUsage;
import dev.sequencer.store.quota.DaySlots;
import dev.sequencer.store.quota.SendReservations.Reservation;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The campaign's daily capacity and the slots its steps hold, in memory, by the rule of the store's
 * table. Starts from what the real campaign has already taken, so a running campaign's projection
 * leaves room for its held slots. A sample gets its share of each day's capacity, spaced as widely
 * as the whole campaign's sends would be.
 */
final class DayLedger implements DaySlots {

  private static final class Day {
    int used;
    Instant nextSlotAt;

    Day(int used, Instant nextSlotAt) {
      this.used = used;
      this.nextSlotAt = nextSlotAt;
    }
  }

  private final Map<LocalDate, Day> days = new HashMap<>();
  private final Map<String, Reservation> held = new HashMap<>();
  private final Map<Long, Set<String>> heldByLead = new HashMap<>();
  private final double share;
  private final Duration quantum;

  /**
   * @param share the sample's share of the campaign's leads (1 without a sample)
   * @param quantum slots are handed out at the start of their quantum (never before the earliest
   *     instant asked for), so that many leads wake at one instant of the private server rather
   *     than each at its own: time skipping runs the leads of one instant side by side, and the
   *     leads of distinct instants one after the other. Zero keeps each slot's own instant.
   */
  DayLedger(double share, Duration quantum, List<DayUsage> usage, List<Reservation> reservations) {
    this.share = share;
    this.quantum = quantum;
    for (DayUsage day : usage) {
      days.put(day.day(), new Day((int) Math.round(day.used() * share), day.nextSlotAt()));
    }
    for (Reservation reservation : reservations) {
      hold(reservation);
    }
  }

  @Override
  public synchronized Optional<Instant> takeSlot(
      String campaignId,
      LocalDate day,
      int limit,
      Instant earliest,
      Duration spacing,
      Instant end) {
    int capacity = capacity(day, limit);
    Duration gap = share >= 1 ? spacing : Duration.ofMillis((long) (spacing.toMillis() / share));
    if (capacity <= 0 || !earliest.isBefore(end)) {
      return Optional.empty();
    }
    Day taken = days.get(day);
    if (taken == null) {
      days.put(day, new Day(1, earliest.plus(gap)));
      return Optional.of(quantized(earliest, earliest));
    }
    Instant at =
        taken.nextSlotAt == null || taken.nextSlotAt.isBefore(earliest)
            ? earliest
            : taken.nextSlotAt;
    if (taken.used >= capacity || !at.isBefore(end)) {
      return Optional.empty();
    }
    taken.used++;
    taken.nextSlotAt = at.plus(gap);
    return Optional.of(quantized(at, earliest));
  }

  private Instant quantized(Instant at, Instant earliest) {
    if (quantum.isZero()) {
      return at;
    }
    long step = quantum.toMillis();
    Instant start = Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), step) * step);
    return start.isBefore(earliest) ? earliest : start;
  }

  /** Takes a unit of {@code day} without a slot, as a step that reserved none does. */
  synchronized boolean takeUnit(LocalDate day, int limit) {
    Day taken = days.computeIfAbsent(day, d -> new Day(0, null));
    if (taken.used >= capacity(day, limit)) {
      return false;
    }
    taken.used++;
    return true;
  }

  synchronized Optional<Reservation> heldFor(String key) {
    return Optional.ofNullable(held.get(key));
  }

  synchronized void hold(Reservation reservation) {
    held.put(reservation.key(), reservation);
    heldByLead.computeIfAbsent(reservation.leadPk(), pk -> new HashSet<>()).add(reservation.key());
  }

  /** Ends the step's reservation as it is used. */
  synchronized Optional<Reservation> use(String key) {
    Reservation reservation = held.remove(key);
    Set<String> keys = reservation == null ? null : heldByLead.get(reservation.leadPk());
    if (keys != null) {
      keys.remove(key);
    }
    return Optional.ofNullable(reservation);
  }

  /** Gives a reservation's unit back, as a step planned anew or a sequence that ended does. */
  synchronized void release(Reservation reservation) {
    use(reservation.key());
    Day taken = days.get(reservation.day());
    if (taken != null && taken.used > 0) {
      taken.used--;
    }
  }

  synchronized void releaseAll(long leadPk) {
    for (String key : List.copyOf(heldByLead.getOrDefault(leadPk, Set.of()))) {
      release(held.get(key));
    }
    heldByLead.remove(leadPk);
  }

  /**
   * A day's units: the limit, or for a sample its share, spread over the days so that their sum
   * stays the share of the limit's sum (12.5 a day is 12 and 13 on alternate days).
   */
  private int capacity(LocalDate day, int limit) {
    if (share >= 1) {
      return limit;
    }
    long epochDay = day.toEpochDay();
    return (int)
        (Math.floor(limit * share * (epochDay + 1)) - Math.floor(limit * share * epochDay));
  }
}
