package dev.sequencer.activities.messaging;

import dev.sequencer.activities.limits.SlotCalendar;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.message.Message;
import dev.sequencer.store.message.Messages;
import dev.sequencer.store.quota.DailyQuota;
import dev.sequencer.store.quota.MinuteQuota;
import dev.sequencer.store.quota.QuotaKeys;
import dev.sequencer.store.quota.SendReservations.Reservation;
import dev.sequencer.workflows.schedule.SendPlanner;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The limits a send must fit: the frequency cap across the organization's campaigns, the per-minute
 * limit and the daily limit. Every check and every unit taken happens inside the attempt's
 * transaction, so the units are committed with the attempt or not at all.
 */
@Component
class SendLimits {

  private final Messages messages;
  private final LeadQueries leads;
  private final MinuteQuota minuteQuota;
  private final DailyQuota dailyQuota;
  private final SlotCalendar slots;
  private final CampaignRepository campaigns;

  SendLimits(
      Messages messages,
      LeadQueries leads,
      MinuteQuota minuteQuota,
      DailyQuota dailyQuota,
      SlotCalendar slots,
      CampaignRepository campaigns) {
    this.campaigns = campaigns;
    this.messages = messages;
    this.leads = leads;
    this.minuteQuota = minuteQuota;
    this.dailyQuota = dailyQuota;
    this.slots = slots;
  }

  /** Either the units the message holds, or when (and why) the step must wait. */
  record Decision(
      LocalDate day,
      Instant minute,
      String senderId,
      LocalDate senderDay,
      Instant waitUntil,
      String reason) {
    boolean allowed() {
      return waitUntil == null;
    }

    static Decision waitUntil(Instant at, String reason) {
      return new Decision(null, null, null, null, at, reason);
    }

    static Decision holding(LocalDate day, Instant minute) {
      return new Decision(day, minute, null, null, null, null);
    }

    static Decision holding(Reservation reservation, Instant minute) {
      return new Decision(
          reservation.day(), minute, reservation.senderId(), reservation.senderDay(), null, null);
    }
  }

  Decision take(
      Campaign campaign,
      Lead lead,
      String key,
      String recipient,
      SendPlanner planner,
      Instant now) {
    ZoneId leadZone = ZoneId.of(lead.timezone());
    Integer capDays = campaign.limits() == null ? null : campaign.limits().frequencyCapDays();
    // The cap is about a person's inbox or phone: a webhook's URL or an app's inbox is none.
    if (capDays != null && capDays > 0 && campaign.channel().suppressible()) {
      // One recipient, one decision at a time: two campaigns racing to the same address see each
      // other's attempt (committed before its hand-over) and only one sends.
      leads.lockAddress(lead.organizationId(), campaign.channel().name(), recipient);
      Duration cap = Duration.ofDays(capDays);
      Optional<Instant> last =
          messages.lastSentToOthers(lead.organizationId(), recipient, lead.id(), now.minus(cap));
      if (last.isPresent()) {
        return Decision.waitUntil(
            planner.firstAllowedAtOrAfter(last.get().plus(cap), leadZone), "frequency_cap");
      }
    }
    String quotaKey = QuotaKeys.of(campaign);
    Integer perMinute = campaign.limits() == null ? null : campaign.limits().perMinute();
    Instant minute = null;
    if (perMinute != null) {
      minute = now.truncatedTo(ChronoUnit.MINUTES);
      if (!minuteQuota.reserve(quotaKey, minute, perMinute)) {
        return Decision.waitUntil(
            planner.firstAllowedAtOrAfter(minute.plus(1, ChronoUnit.MINUTES), leadZone),
            "per_minute");
      }
    }
    boolean senderLimited = slots.limitedSenderOf(lead, campaign).isPresent();
    if (!SlotCalendar.isLimited(campaign) && !senderLimited) {
      return Decision.holding((LocalDate) null, minute);
    }
    Optional<Reservation> reserved = slots.use(key);
    if (reserved.isPresent() && !reserved.get().dayQuotaKey().equals(quotaKey)) {
      // Reserved on the step's first channel, sent on a fallback: that channel's unit goes back
      // and this one's is taken below.
      slots.giveBack(reserved.get());
      reserved = Optional.empty();
    }
    if (reserved.isPresent()) {
      return Decision.holding(reserved.get(), minute);
    }
    if (senderLimited) {
      // No slot held (the sender got a limit after the step was planned): the first slot from
      // now, sent now if it is now, else waited for, held.
      SlotCalendar.Slot slot = slots.reserve(campaign, lead, key, now, leadZone);
      if (!slot.at().isAfter(now)) {
        return Decision.holding(slots.use(key).orElseThrow(), minute);
      }
      if (minute != null) {
        minuteQuota.release(quotaKey, minute);
      }
      return Decision.waitUntil(slot.at(), slot.reason() == null ? "sender_limit" : slot.reason());
    }
    // A step that reserved no slot (planned before slots existed): today's unit if one is left,
    // else the first free slot, held until it wakes there once.
    LocalDate today = LocalDate.ofInstant(now, ZoneId.of(campaign.schedule().timezone()));
    if (dailyQuota.reserve(quotaKey, today, campaign.limits().dailyLimit())) {
      return Decision.holding(today, minute);
    }
    if (minute != null) {
      minuteQuota.release(quotaKey, minute);
    }
    SlotCalendar.Slot slot = slots.reserve(campaign, lead, key, now, leadZone);
    return Decision.waitUntil(slot.at(), slot.reason() == null ? "daily_limit" : slot.reason());
  }

  /** Gives back the units of a message that never reached the provider. */
  void giveBack(Message message) {
    if (message.quotaMinute() != null || message.quotaDay() != null) {
      boolean mixed =
          campaigns.findById(message.campaignId()).map(Campaign::mixesChannels).orElse(false);
      String quotaKey =
          QuotaKeys.of(message.campaignId(), mixed, Channel.valueOf(message.channel()));
      if (message.quotaMinute() != null) {
        minuteQuota.release(quotaKey, message.quotaMinute());
      }
      if (message.quotaDay() != null) {
        dailyQuota.release(quotaKey, message.quotaDay());
      }
    }
    slots.giveBackSender(message.senderId(), message.senderDay());
  }
}
