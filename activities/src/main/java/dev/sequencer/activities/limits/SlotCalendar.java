package dev.sequencer.activities.limits;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.quota.DailyQuota;
import dev.sequencer.store.quota.SendReservations;
import dev.sequencer.store.quota.SendReservations.Reservation;
import java.time.Instant;
import java.time.LocalDate;
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
   * @param leadState the lead's US state, whose calling hours the slot keeps, or null
   */
  public Slot reserve(
      Campaign campaign,
      long leadPk,
      String key,
      Instant plannedAt,
      ZoneId leadZone,
      String leadState) {
    Optional<Reservation> held = reservations.of(key);
    if (held.isPresent()) {
      if (!held.get().at().isBefore(plannedAt)) {
        Reservation slot = held.get();
        String reason =
            slot.at().isAfter(plannedAt.plus(SlotSearch.MAX_JITTER))
                ? SlotSearch.reasonOf(campaign, plannedAt, slot.day())
                : null;
        return new Slot(slot.at(), slot.day(), reason, false);
      }
      // Planned anew later than its slot (a pause, an absence): the old slot goes back.
      reservations.use(key);
      quota.release(campaign.id(), held.get().day());
    }
    SlotSearch.Found found = SlotSearch.first(campaign, key, plannedAt, leadZone, leadState, quota);
    reservations.hold(new Reservation(key, campaign.id(), leadPk, found.day(), found.at()));
    return new Slot(found.at(), found.day(), found.reason(), true);
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
}
