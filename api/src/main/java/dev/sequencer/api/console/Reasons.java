package dev.sequencer.api.console;

import dev.sequencer.activities.planning.CampaignSchedules;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.workflows.schedule.BusinessCalendar;
import dev.sequencer.workflows.schedule.CallingHours;
import dev.sequencer.workflows.schedule.StateCallingHours;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/** Why a step is where it is, in the words support staff use on the phone. */
final class Reasons {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

  private Reasons() {}

  /**
   * @param at the step's planned (or last) time
   * @param leadState the US state whose calling hours the lead's texts keep, or null
   */
  static String of(
      String reason, Campaign campaign, Instant at, ZoneId leadZone, String leadState) {
    if (reason == null) {
      return "";
    }
    String when = at == null ? "" : " (now " + DAY.format(at.atZone(leadZone)) + ")";
    return switch (reason) {
      case "daily_limit" ->
          "moved: the campaign's daily limit"
              + (campaign.limits().dailyLimit() == null
                  ? ""
                  : " of " + campaign.limits().dailyLimit())
              + " was reached"
              + when;
      case "per_minute" -> "moved: the per-minute limit was reached" + when;
      case "min_spacing" -> "moved: sends of the campaign are spaced out" + when;
      case "sender_limit" -> "moved: the sender's daily cap (or its ramp-up) was reached" + when;
      case "sender_spacing" -> "moved: sends of the sender are spaced out" + when;
      case "sender_paused" -> "waiting: the lead's sender is paused";
      case "awaiting_review" -> "waiting: its generated text waits for a person's review";
      case "generation_rejected" -> "the template goes out: the generated text was refused";
      case "frequency_cap" ->
          "moved: the organization messaged this person recently (frequency cap)" + when;
      case "outside_window" -> "moved: outside the send window" + when;
      case "weekend" -> "moved: not a business day" + when;
      case "holiday" ->
          "moved: " + holiday(campaign, at, leadZone).orElse("a public holiday") + when;
      case "blackout" -> "moved: a blackout date of the campaign" + when;
      case "quiet_hours" -> "moved: " + quietHours(leadState, at, leadZone) + when;
      case "paused" -> "waiting: paused";
      case "out_of_office" -> "waiting: the lead is out of office";
      case "replied" -> "not sent: the lead replied";
      case "opted_out" -> "not sent: the lead opted out";
      case "bounced" -> "not sent: the address bounced";
      case "no_address" -> "skipped: the lead has no address on any of the step's channels";
      case "cancelled" -> "not sent: cancelled";
      case "failed" -> "not sent: the send failed";
      case "completed" -> "";
      default -> reason.replace('_', ' ');
    };
  }

  /** The calling hours of the lead's state that held the step back, on the day it goes out. */
  private static String quietHours(String state, Instant at, ZoneId zone) {
    Optional<CallingHours> hours = StateCallingHours.of(state);
    if (hours.isEmpty() || at == null) {
      return "SMS quiet hours of the lead's state";
    }
    CallingHours.Hours that = hours.get().on(at.atZone(zone).getDayOfWeek());
    return "SMS quiet hours in "
        + hours.get().state()
        + " (texts "
        + that.start()
        + "–"
        + that.end()
        + " that day, lead's time)";
  }

  /** The holiday the step was moved past: the latest one in the week before it. */
  private static Optional<String> holiday(Campaign campaign, Instant at, ZoneId zone) {
    if (at == null || campaign.schedule().holidayCalendar() == null) {
      return Optional.empty();
    }
    BusinessCalendar calendar = new BusinessCalendar(CampaignSchedules.rulesOf(campaign));
    LocalDate day = at.atZone(zone).toLocalDate();
    for (int back = 1; back <= 7; back++) {
      LocalDate before = day.minusDays(back);
      Optional<String> name = calendar.holidayName(before);
      if (name.isPresent()) {
        return Optional.of("not sent on " + DAY.format(before) + ": " + name.get());
      }
    }
    return Optional.empty();
  }
}
