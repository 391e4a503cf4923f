package dev.sequencer.api.campaign;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStep;
import dev.sequencer.store.campaign.CampaignVariant;
import dev.sequencer.store.campaign.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The part of a campaign that is frozen once it has started: its steps (number, types, days), its
 * variants and their allocations, the holdout, the channel and the schedule. Leads have been
 * assigned a variant or the holdout and planned from these, and every sequence in flight relies on
 * them; copy (subject, body) and the name may still change. Definitions are compared by their
 * stored values, so a PATCH that repeats the current values changes nothing here.
 */
final class FrozenStructure {

  private FrozenStructure() {}

  /**
   * The JSON paths of the request where {@code proposed} changes the structure of {@code current}.
   */
  static List<String> changes(Campaign current, Campaign proposed) {
    List<String> fields = new ArrayList<>();
    if (current.channel() != proposed.channel()) {
      fields.add("channel");
    }
    boolean sameBaseSteps = sameSteps(current.baseSteps(), proposed.baseSteps(), fields);
    variants(current, proposed, sameBaseSteps, fields);
    if (current.holdoutPercentage() != proposed.holdoutPercentage()) {
      fields.add("holdout_percentage");
    }
    schedule(current.schedule(), proposed.schedule(), fields);
    return fields;
  }

  private static boolean sameSteps(
      List<CampaignStep> current, List<CampaignStep> proposed, List<String> fields) {
    if (current.size() != proposed.size()) {
      fields.add("steps");
      return false;
    }
    boolean same = true;
    for (int i = 0; i < current.size(); i++) {
      if (current.get(i).type() != proposed.get(i).type()) {
        fields.add("steps[" + i + "].type");
        same = false;
      }
      if (current.get(i).day() != proposed.get(i).day()) {
        fields.add("steps[" + i + "].day");
        same = false;
      }
      // Planned windows, slots and the addresses checked at enrolment follow the step's channels.
      if (current.get(i).channel() != proposed.get(i).channel()) {
        fields.add("steps[" + i + "].channel");
      }
      if (!java.util.Objects.equals(
          current.get(i).fallbackChannels(), proposed.get(i).fallbackChannels())) {
        fields.add("steps[" + i + "].fallback");
      }
    }
    return same;
  }

  /**
   * Variants in order (assignment hashes against their allocations in order), and the days of the
   * steps each variant's leads get. A variant step that only overrides copy changes nothing here.
   */
  private static void variants(
      Campaign current, Campaign proposed, boolean sameBaseSteps, List<String> fields) {
    List<String> names = names(current);
    if (!names.equals(names(proposed))) {
      fields.add("variants");
      return;
    }
    for (int v = 0; v < names.size(); v++) {
      String at = "variants[" + v + "]";
      String name = names.get(v);
      if (current.variants().get(v).allocationPercentage()
          != proposed.variants().get(v).allocationPercentage()) {
        fields.add(at + ".allocation_percentage");
      }
      if (!sameBaseSteps) {
        // Variants inherit the base steps; their change is named already.
        continue;
      }
      List<CampaignStep> before = current.stepsOf(name);
      List<CampaignStep> after = proposed.stepsOf(name);
      for (int i = 0; i < before.size(); i++) {
        if (before.get(i).day() != after.get(i).day()) {
          fields.add(overrideField(proposed, name, after.get(i), at));
        }
      }
    }
  }

  /** Where the request sets the day of a variant's step: its override, or the variant's steps. */
  private static String overrideField(
      Campaign proposed, String variant, CampaignStep step, String at) {
    List<CampaignStep> overrides =
        proposed.steps().stream().filter(s -> s.variant().equals(variant)).toList();
    for (int i = 0; i < overrides.size(); i++) {
      if (overrides.get(i).type() == step.type()) {
        return at + ".steps[" + i + "].day";
      }
    }
    return at + ".steps";
  }

  private static List<String> names(Campaign campaign) {
    return campaign.variants().stream().map(CampaignVariant::name).toList();
  }

  private static void schedule(Schedule current, Schedule proposed, List<String> fields) {
    if (!Objects.equals(current.timezone(), proposed.timezone())) {
      fields.add("schedule.timezone");
    }
    if (!Objects.equals(current.windowStart(), proposed.windowStart())
        || !Objects.equals(current.windowEnd(), proposed.windowEnd())) {
      fields.add("schedule.send_window");
    }
    if (!current.businessDaySet().equals(proposed.businessDaySet())) {
      fields.add("schedule.business_days");
    }
    if (!Objects.equals(current.holidayCalendar(), proposed.holidayCalendar())) {
      fields.add("schedule.holiday_calendar");
    }
    if (!current.blackoutDateSet().equals(proposed.blackoutDateSet())) {
      fields.add("schedule.blackout_dates");
    }
    if (!Objects.equals(cron(current.recurrence()), cron(proposed.recurrence()))) {
      fields.add("schedule.recurrence");
    }
  }

  private static String cron(String recurrence) {
    return recurrence == null ? null : String.join(" ", recurrence.trim().split("\\s+"));
  }
}
