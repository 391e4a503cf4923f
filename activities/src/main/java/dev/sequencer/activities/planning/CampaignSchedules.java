package dev.sequencer.activities.planning;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.workflows.schedule.ScheduleRules;

/** The scheduling rules of a stored campaign, with TCPA quiet hours applied to SMS. */
public final class CampaignSchedules {

  private CampaignSchedules() {}

  public static ScheduleRules rulesOf(Campaign campaign) {
    var schedule = campaign.schedule();
    ScheduleRules rules =
        new ScheduleRules(
            schedule.timezone(),
            schedule.windowStart(),
            schedule.windowEnd(),
            schedule.businessDaySet(),
            schedule.holidayCalendar(),
            schedule.blackoutDateSet());
    return campaign.channel() == Channel.SMS ? rules.forSms() : rules;
  }
}
