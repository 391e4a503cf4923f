package dev.sequencer.activities.messaging;

import dev.sequencer.activities.limits.SlotCalendar;
import dev.sequencer.activities.planning.CampaignSchedules;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.message.Messages;
import dev.sequencer.store.quota.DailyQuota;
import dev.sequencer.store.quota.MinuteQuota;
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

  SendLimits(
      Messages messages,
      LeadQueries leads,
      MinuteQuota minuteQuota,
      DailyQuota dailyQuota,
      SlotCalendar slots) {
    this.messages = messages;
    this.leads = leads;
    this.minuteQuota = minuteQuota;
    this.dailyQuota = dailyQuota;
    this.slots = slots;
  }

  /** Either the units the message holds, or when (and why) the step must wait. */
  record Decision(LocalDate day, Instant minute, Instant waitUntil, String reason) {
    boolean allowed() {
      return waitUntil == null;
    }

    static Decision waitUntil(Instant at, String reason) {
      return new Decision(null, null, at, reason);
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
    if (capDays != null && capDays > 0) {
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
    Integer perMinute = campaign.limits() == null ? null : campaign.limits().perMinute();
    Instant minute = null;
    if (perMinute != null) {
      minute = now.truncatedTo(ChronoUnit.MINUTES);
      if (!minuteQuota.reserve(campaign.id(), minute, perMinute)) {
        return Decision.waitUntil(
            planner.firstAllowedAtOrAfter(minute.plus(1, ChronoUnit.MINUTES), leadZone),
            "per_minute");
      }
    }
    if (!SlotCalendar.isLimited(campaign)) {
      return new Decision(null, minute, null, null);
    }
    Optional<LocalDate> reserved = slots.use(key);
    if (reserved.isPresent()) {
      return new Decision(reserved.get(), minute, null, null);
    }
    // A step that reserved no slot (planned before slots existed): today's unit if one is left,
    // else the first free slot, held until it wakes there once.
    LocalDate today = LocalDate.ofInstant(now, ZoneId.of(campaign.schedule().timezone()));
    if (dailyQuota.reserve(campaign.id(), today, campaign.limits().dailyLimit())) {
      return new Decision(today, minute, null, null);
    }
    if (minute != null) {
      minuteQuota.release(campaign.id(), minute);
    }
    SlotCalendar.Slot slot =
        slots.reserve(
            campaign, lead.id(), key, now, leadZone, CampaignSchedules.stateOf(campaign, lead));
    return Decision.waitUntil(slot.at(), slot.reason() == null ? "daily_limit" : slot.reason());
  }

  /** Gives back the units of a message that never reached the provider. */
  void giveBack(String campaignId, LocalDate day, Instant minute) {
    if (minute != null) {
      minuteQuota.release(campaignId, minute);
    }
    if (day != null) {
      dailyQuota.release(campaignId, day);
    }
  }
}
