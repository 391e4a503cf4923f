package dev.sequencer.activities.limits;

import dev.sequencer.activities.planning.CampaignSchedules;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.quota.DaySlots;
import dev.sequencer.workflows.schedule.ScheduleRules;
import dev.sequencer.workflows.schedule.SendPlanner;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Finds a step's slot in a campaign's daily capacity: the first business day from the planned
 * instant whose window still has a unit and room after the day's previous slot. Pure over its
 * {@link DaySlots}, so the service (on the store's table) and a simulation (on a ledger in memory)
 * place steps by the very same rule.
 */
public final class SlotSearch {

  /** How far ahead a slot is looked for: past this a campaign's limit cannot carry its leads. */
  static final int HORIZON_DAYS = 3_660;

  static final Duration MAX_JITTER = Duration.ofSeconds(30);

  private SlotSearch() {}

  /**
   * A slot taken.
   *
   * @param reason why it is later than planned ({@code daily_limit}, {@code min_spacing}), or null
   */
  public record Found(Instant at, LocalDate day, String reason) {}

  /**
   * Takes the first free slot at or after {@code plannedAt}.
   *
   * @param key the step's idempotency key, which spreads its slot a little inside the spacing
   * @param leadZone the lead's zone: a slot the lead's own calendar does not allow moves on
   * @param leadState the lead's US state, whose calling hours move a slot on too, or null
   */
  public static Found first(
      Campaign campaign,
      String key,
      Instant plannedAt,
      ZoneId leadZone,
      String leadState,
      DaySlots slots) {
    return first(campaign, key, plannedAt, leadZone, leadState, slots, true);
  }

  /**
   * As {@link #first(Campaign, String, Instant, ZoneId, String, DaySlots)}; without {@code jitter}
   * a slot is the instant its day's ledger gave.
   */
  public static Found first(
      Campaign campaign,
      String key,
      Instant plannedAt,
      ZoneId leadZone,
      String leadState,
      DaySlots slots,
      boolean jitter) {
    ScheduleRules rules = CampaignSchedules.rulesOf(campaign);
    SendPlanner planner = CampaignSchedules.plannerFor(campaign, leadState);
    ZoneId zone = ZoneId.of(rules.timezone());
    int limit = campaign.limits().dailyLimit();
    Duration spacing = spacingOf(campaign, rules);
    // A slot's jitter must not carry its send past the window, into a day whose units it does not
    // hold: the ledger gives no slot later than the window's end less the jitter's bound.
    Duration bound = jitter ? jitterBound(spacing) : Duration.ZERO;
    LocalDate day = LocalDate.ofInstant(plannedAt, zone);
    for (int i = 0; i < HORIZON_DAYS; i++, day = day.plusDays(1)) {
      if (!planner.calendar().isBusinessDay(day)) {
        continue;
      }
      Instant start = startOf(day, rules, zone);
      Instant end = endOf(day, rules, zone);
      Instant earliest = plannedAt.isAfter(start) ? plannedAt : start;
      Optional<Instant> slot =
          slots.takeSlot(
              dev.sequencer.store.quota.QuotaKeys.of(campaign),
              day,
              limit,
              earliest,
              spacing,
              end.minus(bound));
      if (slot.isPresent()) {
        Duration spread = jitter(key, bound);
        Instant at = planner.firstAllowedAtOrAfter(slot.get().plus(spread), leadZone);
        String reason = slot.get().isAfter(plannedAt) ? reasonOf(campaign, plannedAt, day) : null;
        return new Found(at, day, reason);
      }
    }
    throw new IllegalStateException(
        "no free slot within " + HORIZON_DAYS + " days for campaign " + campaign.id());
  }

  /**
   * The minimum time between two sends of the campaign inside a day: its own setting, else the send
   * window's length divided by the daily limit, so a day's sends spread across the window.
   */
  static Duration spacingOf(Campaign campaign, ScheduleRules rules) {
    Integer configured = campaign.limits().minSpacingSeconds();
    if (configured != null) {
      return Duration.ofSeconds(configured);
    }
    LocalTime start = rules.windowStart() == null ? LocalTime.MIDNIGHT : rules.windowStart();
    long windowSeconds =
        rules.windowEnd() == null
            ? Duration.ofDays(1).getSeconds() - start.toSecondOfDay()
            : rules.windowEnd().toSecondOfDay() - start.toSecondOfDay();
    return Duration.ofMillis(windowSeconds * 1000 / Math.max(1, campaign.limits().dailyLimit()));
  }

  /** Why a slot on {@code day}, later than {@code plannedAt}, is later. */
  static String reasonOf(Campaign campaign, Instant plannedAt, LocalDate day) {
    ZoneId zone = ZoneId.of(campaign.schedule().timezone());
    return day.isAfter(LocalDate.ofInstant(plannedAt, zone)) ? "daily_limit" : "min_spacing";
  }

  /** A little spread inside the spacing, stable per step, so sends do not tick like a clock. */
  private static Duration jitter(String key, Duration bound) {
    long millis = bound.toMillis();
    return millis <= 0 ? Duration.ZERO : Duration.ofMillis(Math.floorMod(key.hashCode(), millis));
  }

  private static Duration jitterBound(Duration spacing) {
    return Duration.ofMillis(Math.min(spacing.toMillis() / 4, MAX_JITTER.toMillis()));
  }

  private static Instant startOf(LocalDate day, ScheduleRules rules, ZoneId zone) {
    LocalTime start = rules.windowStart() == null ? LocalTime.MIDNIGHT : rules.windowStart();
    return day.atTime(start).atZone(zone).toInstant();
  }

  private static Instant endOf(LocalDate day, ScheduleRules rules, ZoneId zone) {
    return rules.windowEnd() == null
        ? day.plusDays(1).atStartOfDay(zone).toInstant()
        : day.atTime(rules.windowEnd()).atZone(zone).toInstant();
  }
}
