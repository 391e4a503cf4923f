package dev.sequencer.simulation;

import dev.sequencer.activities.limits.SlotCalendar;
import dev.sequencer.activities.planning.CampaignSchedules;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.workflows.schedule.SendPlanner;
import java.time.ZoneId;
import java.util.Map;

/**
 * The state one simulation's activities share: the campaign as it is stored, its leads as the
 * simulation assigned them, the capacity ledger and the tally.
 *
 * @param share the sample's share of the campaign's leads: capacities are cut to it
 */
record SimulationRun(
    Campaign campaign,
    Map<Long, SimulatedLead> leads,
    DayLedger ledger,
    Tally tally,
    double share) {

  /** The planner of a lead's steps: the campaign's rules and, for SMS, its state's hours. */
  SendPlanner planner(SimulatedLead lead) {
    return CampaignSchedules.plannerFor(campaign, lead.state);
  }

  ZoneId campaignZone() {
    return ZoneId.of(campaign.schedule().timezone());
  }

  boolean limited() {
    return SlotCalendar.isLimited(campaign);
  }

  SimulatedLead lead(long pk) {
    SimulatedLead lead = leads.get(pk);
    if (lead == null) {
      throw new IllegalStateException("lead " + pk + " is not part of this simulation");
    }
    return lead;
  }
}
