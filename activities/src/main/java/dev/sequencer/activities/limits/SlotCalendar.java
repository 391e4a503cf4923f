package dev.sequencer.activities.limits;

import dev.sequencer.activities.planning.CampaignSchedules;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.quota.DailyQuota;
import dev.sequencer.store.quota.SendReservations;
import dev.sequencer.store.quota.SendReservations.Reservation;
import dev.sequencer.workflows.schedule.ScheduleRules;
import dev.sequencer.workflows.schedule.SendPlanner;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * A campaign's daily limit as a calendar of slots. A step takes the first free slot at or after its
 * planned instant — a day's unit and an instant at least the spacing after the day's previous slot
 * — in one atomic statement, and keeps it until it is sent, so a deferred step wakes once, at its
 * slot, however many leads wait.
 */
@Component
public class SlotCalendar {

  /** How far ahead a slot is looked for: past this a campaign's limit cannot carry its leads. */
  static final int HORIZON_DAYS = 3_660;

  private static final Duration MAX_JITTER = Duration.ofSeconds(30);

  private final DailyQuota quota;
  private final SendReservations reservations;

  public SlotCalendar(DailyQuota quota, SendReservations reservations) {
    this.quota = quota;
    this.reservations = reservations;
  }

  /**
   * A step's slot, and why it is later than planned (null when it is not).
   *
   * @param fresh whether this call took it, rather than finding it held
   */
  public record Slot(Instant at, LocalDate day, String reason, boolean fresh) {}

  public static boolean isLimited(Campaign campaign) {
    return campaign.limits() != null && campaign.limits().dailyLimit() != null;
  }

  /**
   * Reserves the step's slot, or returns the one it holds when that is still at or after {@code
   * plannedAt}. Call inside a transaction.
   *
   * @param leadZone the lead's zone: a slot the lead's own calendar does not allow moves on
   */
  public Slot reserve(
      Campaign campaign, long leadPk, String key, Instant plannedAt, ZoneId leadZone) {
    Optional<Reservation> held = reservations.of(key);
    if (held.isPresent()) {
      if (!held.get().at().isBefore(plannedAt)) {
        Reservation slot = held.get();
        String reason =
            slot.at().isAfter(plannedAt.plus(MAX_JITTER))
                ? reasonOf(campaign, plannedAt, slot.day())
                : null;
        return new Slot(slot.at(), slot.day(), reason, false);
      }
      // Planned anew later than its slot (a pause, an absence): the old slot goes back.
      reservations.use(key);
      quota.release(campaign.id(), held.get().day());
    }
    SendPlanner planner = new SendPlanner(CampaignSchedules.rulesOf(campaign));
    ScheduleRules rules = CampaignSchedules.rulesOf(campaign);
    ZoneId zone = ZoneId.of(rules.timezone());
    int limit = campaign.limits().dailyLimit();
    Duration spacing = spacingOf(campaign, rules);
    LocalDate day = LocalDate.ofInstant(plannedAt, zone);
    Instant from = plannedAt;
    for (int i = 0; i < HORIZON_DAYS; i++, day = day.plusDays(1)) {
      if (!planner.calendar().isBusinessDay(day)) {
        continue;
      }
      Instant start = startOf(day, rules, zone);
      Instant end = endOf(day, rules, zone);
      Instant earliest = from.isAfter(start) ? from : start;
      Optional<Instant> slot = quota.takeSlot(campaign.id(), day, limit, earliest, spacing, end);
      if (slot.isPresent()) {
        Instant at = planner.firstAllowedAtOrAfter(slot.get().plus(jitter(key, spacing)), leadZone);
        Reservation reservation = new Reservation(key, campaign.id(), leadPk, day, at);
        reservations.hold(reservation);
        String reason = slot.get().isAfter(plannedAt) ? reasonOf(campaign, plannedAt, day) : null;
        return new Slot(at, day, reason, true);
      }
    }
    throw new IllegalStateException(
        "no free slot within " + HORIZON_DAYS + " days for campaign " + campaign.id());
  }

  /** Uses the step's reservation if it holds one: its unit now belongs to the message. */
  public Optional<LocalDate> use(String key) {
    return reservations.use(key).map(Reservation::day);
  }

  /** Gives back the slots of a lead whose sequence ended. */
  public void releaseAll(long leadPk) {
    for (Reservation reservation : reservations.dropAll(leadPk)) {
      quota.release(reservation.campaignId(), reservation.day());
    }
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
  private static String reasonOf(Campaign campaign, Instant plannedAt, LocalDate day) {
    ZoneId zone = ZoneId.of(campaign.schedule().timezone());
    return day.isAfter(LocalDate.ofInstant(plannedAt, zone)) ? "daily_limit" : "min_spacing";
  }

  /** A little spread inside the spacing, stable per step, so sends do not tick like a clock. */
  private static Duration jitter(String key, Duration spacing) {
    long bound = Math.min(spacing.toMillis() / 4, MAX_JITTER.toMillis());
    return bound <= 0 ? Duration.ZERO : Duration.ofMillis(Math.floorMod(key.hashCode(), bound));
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
