package dev.sequencer.activities.limits;

import dev.sequencer.activities.planning.CampaignSchedules;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.quota.DailyQuota;
import dev.sequencer.store.quota.QuotaKeys;
import dev.sequencer.store.quota.SendReservations;
import dev.sequencer.store.quota.SendReservations.Reservation;
import dev.sequencer.store.quota.SenderQuota;
import dev.sequencer.store.sender.RegisteredSender;
import dev.sequencer.store.sender.Senders;
import dev.sequencer.workflows.schedule.ScheduleRules;
import dev.sequencer.workflows.schedule.SendPlanner;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * A campaign's daily limit and its senders' capacity as a calendar of slots. A step takes the first
 * free slot at or after its planned instant — a unit of the campaign's day and of its sender's day,
 * each at least its spacing after the previous slot — in atomic statements, and keeps it until it
 * is sent, so a deferred step wakes once, at its slot, however many leads wait.
 */
@Component
public class SlotCalendar {

  /** How many windows a step looks through for a slot its sender and campaign both have. */
  static final int MAX_TRIES = 20_000;

  private final DailyQuota quota;
  private final SenderQuota senderQuota;
  private final SendReservations reservations;
  private final Senders senders;

  public SlotCalendar(
      DailyQuota quota, SenderQuota senderQuota, SendReservations reservations, Senders senders) {
    this.quota = quota;
    this.senderQuota = senderQuota;
    this.reservations = reservations;
    this.senders = senders;
  }

  /**
   * A step's slot, and why it is later than planned (null when it is not).
   *
   * @param fresh whether this call took it, rather than finding it held
   */
  public record Slot(Instant at, LocalDate day, String reason, boolean fresh) {}

  /** Whether the campaign itself has a daily limit. */
  public static boolean isLimited(Campaign campaign) {
    return campaign.limits() != null && campaign.limits().dailyLimit() != null;
  }

  /** Whether the campaign's steps take slots: it has a daily limit, or a sender of it has one. */
  public boolean isSlotted(Campaign campaign) {
    return isLimited(campaign) || !limitedSenders(campaign).isEmpty();
  }

  /** The senders of the campaign whose capacity is limited. */
  public Set<String> limitedSenders(Campaign campaign) {
    return limitedSenders(campaign, senders);
  }

  /** The senders of the campaign (its pool, or its inline sender) whose capacity is limited. */
  public static Set<String> limitedSenders(Campaign campaign, Senders senders) {
    Set<String> ids = new HashSet<>(campaign.senderIds());
    if (campaign.sender() != null) {
      // The sender's address on the campaign's own channel: an SMS campaign may also carry an email
      // address for its email steps, and the other way round.
      String address =
          campaign.channel() == dev.sequencer.store.campaign.Channel.EMAIL
              ? campaign.sender().email()
              : campaign.sender().phone();
      if (address != null) {
        senders
            .byAddress(campaign.channel(), address.toLowerCase(java.util.Locale.ROOT))
            .or(() -> senders.byAddress(campaign.channel(), address))
            .filter(s -> s.organizationId().equals(campaign.organizationId()))
            .ifPresent(s -> ids.add(s.id()));
      }
    }
    Set<String> limited = new HashSet<>();
    senders.byIds(campaign.organizationId(), ids).values().stream()
        .filter(s -> s.capacity().limited())
        .forEach(s -> limited.add(s.id()));
    return limited;
  }

  /**
   * The lead's sender when its capacity is limited and it sends on the channel {@code campaign} is
   * seen on: a step on another channel than the pool's goes out from the campaign's own address for
   * it, and takes none of the pool sender's units.
   */
  public Optional<RegisteredSender> limitedSenderOf(Lead lead, Campaign campaign) {
    return lead.senderId() == null
        ? Optional.empty()
        : senders
            .byId(lead.senderId())
            .filter(s -> s.capacity().limited() && s.channel() == campaign.channel());
  }

  /**
   * Reserves the step's slot, or returns the one it holds when that is still at or after {@code
   * plannedAt}. Call inside a transaction.
   *
   * @param leadZone the lead's zone: a slot the lead's own calendar does not allow moves on
   * @param leadState the lead's US state, whose calling hours the slot keeps, or null
   */
  public Slot reserve(
      Campaign campaign, Lead lead, String key, Instant plannedAt, ZoneId leadZone) {
    Optional<Reservation> held = reservations.of(key);
    if (held.isPresent()) {
      if (!held.get().at().isBefore(plannedAt)) {
        Reservation slot = held.get();
        return new Slot(slot.at(), slot.day(), reasonOf(campaign, slot, plannedAt), false);
      }
      // Planned anew later than its slot (a pause, an absence): the old slot goes back.
      reservations.use(key);
      giveBack(held.get());
    }
    Optional<RegisteredSender> sender = limitedSenderOf(lead, campaign);
    if (sender.isEmpty() && !isLimited(campaign)) {
      // Neither the campaign nor this lead's sender has a limit: the planned instant stands.
      return new Slot(plannedAt, null, null, false);
    }
    if (sender.isEmpty()) {
      SlotSearch.Found found =
          SlotSearch.first(
              campaign, key, plannedAt, leadZone, CampaignSchedules.stateOf(campaign, lead), quota);
      reservations.hold(
          new Reservation(
              key,
              campaign.id(),
              lead.id(),
              found.day(),
              found.at(),
              null,
              null,
              QuotaKeys.of(campaign)));
      return new Slot(found.at(), found.day(), found.reason(), true);
    }
    Reservation taken = bothSlots(campaign, sender.get(), lead, key, plannedAt, leadZone);
    reservations.hold(taken);
    return new Slot(taken.at(), taken.day(), reasonOf(campaign, taken, plannedAt), true);
  }

  /**
   * The first instant both the campaign (its window and, if it has one, its daily limit) and the
   * sender have room for: each try takes the campaign's slot, then the sender's from there to the
   * end of that window; a sender with no room gives the campaign's unit back and the search goes on
   * from where the window or the sender's day ends.
   */
  private Reservation bothSlots(
      Campaign campaign,
      RegisteredSender sender,
      Lead lead,
      String key,
      Instant plannedAt,
      ZoneId leadZone) {
    ScheduleRules rules = CampaignSchedules.rulesOf(campaign);
    String state = CampaignSchedules.stateOf(campaign, lead);
    SendPlanner planner = CampaignSchedules.plannerFor(campaign, state);
    long leadPk = lead.id();
    boolean campaignLimited = isLimited(campaign);
    Instant from = plannedAt;
    for (int i = 0; i < MAX_TRIES; i++) {
      Instant at;
      LocalDate day = null;
      if (campaignLimited) {
        SlotSearch.Found found = SlotSearch.first(campaign, key, from, leadZone, state, quota);
        at = found.at();
        day = found.day();
      } else {
        at = planner.firstAllowedAtOrAfter(from, leadZone);
      }
      Instant until = windowEnd(rules, at, leadZone);
      Optional<SenderSlots.Taken> ofSender = SenderSlots.take(sender, key, at, until, senderQuota);
      if (ofSender.isPresent()) {
        return new Reservation(
            key,
            campaign.id(),
            leadPk,
            day,
            ofSender.get().at(),
            sender.id(),
            ofSender.get().day(),
            QuotaKeys.of(campaign));
      }
      if (day != null) {
        quota.release(QuotaKeys.of(campaign), day);
      }
      Instant senderDayEnd = SenderSlots.dayEnd(sender, at);
      from = until.isBefore(senderDayEnd) ? until : senderDayEnd;
    }
    throw new IllegalStateException(
        "no slot within " + MAX_TRIES + " windows for sender " + sender.id());
  }

  /** The end of the lead-local send window that {@code at} lies in. */
  static Instant windowEnd(ScheduleRules rules, Instant at, ZoneId leadZone) {
    LocalDateTime local = LocalDateTime.ofInstant(at, leadZone);
    LocalDate date = local.toLocalDate();
    if (rules.windowEnd() == null || !local.toLocalTime().isBefore(rules.windowEnd())) {
      return date.plusDays(1).atStartOfDay(leadZone).toInstant();
    }
    return date.atTime(rules.windowEnd()).atZone(leadZone).toInstant();
  }

  /** Why a slot is later than planned: the campaign's or the sender's limit or spacing. */
  private static String reasonOf(Campaign campaign, Reservation slot, Instant plannedAt) {
    Instant jittered =
        plannedAt
            .plus(SlotSearch.MAX_JITTER)
            .plus(slot.senderId() == null ? java.time.Duration.ZERO : SenderSlots.MAX_JITTER);
    if (!slot.at().isAfter(jittered)) {
      return null;
    }
    ZoneId zone = ZoneId.of(campaign.schedule().timezone());
    boolean laterDay =
        LocalDate.ofInstant(slot.at(), zone).isAfter(LocalDate.ofInstant(plannedAt, zone));
    if (slot.senderId() == null) {
      return laterDay ? "daily_limit" : "min_spacing";
    }
    return laterDay ? "sender_limit" : "sender_spacing";
  }

  /** Uses the step's reservation if it holds one: its units now belong to the message. */
  public Optional<Reservation> use(String key) {
    return reservations.use(key);
  }

  /** Gives back the slots of a lead whose sequence ended. */
  public void releaseAll(long leadPk) {
    List<Reservation> dropped = reservations.dropAll(leadPk);
    dropped.forEach(this::giveBack);
  }

  /** Gives back the units a reservation or an unsent message holds. */
  public void giveBack(Reservation reservation) {
    if (reservation.day() != null) {
      quota.release(reservation.dayQuotaKey(), reservation.day());
    }
    if (reservation.senderId() != null && reservation.senderDay() != null) {
      senderQuota.release(reservation.senderId(), reservation.senderDay());
    }
  }

  /** Gives back a sender's unit of a message that never reached the provider. */
  public void giveBackSender(String senderId, LocalDate day) {
    if (senderId != null && day != null) {
      senderQuota.release(senderId, day);
    }
  }
}
