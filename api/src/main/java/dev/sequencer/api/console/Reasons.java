package dev.sequencer.api.console;

import dev.sequencer.activities.planning.CampaignSchedules;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.workflows.schedule.BusinessCalendar;
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
   */
  static String of(String reason, Campaign campaign, Instant at, ZoneId leadZone) {
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
      case "sender_limit" -> "moved: the sender's daily cap was reached" + when;
      case "frequency_cap" ->
          "moved: the organization messaged this person recently (frequency cap)" + when;
      case "outside_window" -> "moved: outside the send window" + when;
      case "weekend" -> "moved: not a business day" + when;
      case "holiday" ->
          "moved: " + holiday(campaign, at, leadZone).orElse("a public holiday") + when;
      case "blackout" -> "moved: a blackout date of the campaign" + when;
      case "quiet_hours" -> "moved: SMS quiet hours (08:00–21:00 in the lead's zone)" + when;
      case "paused" -> "waiting: paused";
      case "out_of_office" -> "waiting: the lead is out of office";
      case "replied" -> "not sent: the lead replied";
      case "opted_out" -> "not sent: the lead opted out";
      case "bounced" -> "not sent: the address bounced";
      case "cancelled" -> "not sent: cancelled";
      case "failed" -> "not sent: the send failed";
      case "completed" -> "";
      default -> reason.replace('_', ' ');
    };
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
