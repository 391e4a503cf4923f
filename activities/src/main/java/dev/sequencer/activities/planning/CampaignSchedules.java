package dev.sequencer.activities.planning;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStep;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.workflows.schedule.CallingHours;
import dev.sequencer.workflows.schedule.ScheduleRules;
import dev.sequencer.workflows.schedule.SendPlanner;
import dev.sequencer.workflows.schedule.StateCallingHours;

/**
 * The scheduling rules of a stored campaign, with TCPA quiet hours applied to SMS, and the planner
 * of one of its leads, which for SMS also keeps the calling hours of the lead's US state.
 */
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
    return campaign.channel().isPhone() ? rules.forSms() : rules;
  }

  /** The planner of a lead's steps. */
  public static SendPlanner plannerFor(Campaign campaign, Lead lead) {
    return plannerFor(campaign, stateOf(campaign, lead));
  }

  /**
   * The planner of the steps of a lead in {@code state}.
   *
   * @param state the lead's US state code ({@link #stateOf}), or null
   */
  public static SendPlanner plannerFor(Campaign campaign, String state) {
    CallingHours hours =
        campaign.channel().isPhone() ? StateCallingHours.of(state).orElse(null) : null;
    return new SendPlanner(rulesOf(campaign), hours);
  }

  /**
   * The state whose calling hours the campaign's texts to the lead keep: only for a campaign with a
   * step by SMS or WhatsApp.
   */
  public static String stateOf(Campaign campaign, Lead lead) {
    return campaign.channels().stream().anyMatch(Channel::isPhone)
        ? LeadStates.of(lead).orElse(null)
        : null;
  }

  /** The planner of a lead's step on its first channel. */
  public static SendPlanner plannerFor(Campaign campaign, CampaignStep step, String state) {
    return plannerFor(campaign.onChannel(step.channelOr(campaign.channel())), state);
  }
}
