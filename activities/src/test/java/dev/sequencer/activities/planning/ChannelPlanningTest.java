package dev.sequencer.activities.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStep;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.campaign.Schedule;
import dev.sequencer.store.campaign.StepType;
import dev.sequencer.store.testing.CampaignBuilder;
import dev.sequencer.workflows.lead.PlanRequest;
import dev.sequencer.workflows.lead.PlannedStep;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each step keeps the window and quiet hours of the channel it goes out on: in an email campaign
 * sending 06:00-22:00, a step by SMS is held to 08:00-21:00 in the lead's zone, and a US state's
 * calling hours, while the email steps around it keep the campaign's window. Expected instants are
 * worked out by hand from the calendar (2027-03-01 is a Monday).
 */
class ChannelPlanningTest {

  private static final Instant MONDAY_0630 = Instant.parse("2027-03-01T06:30:00Z");

  @Test
  void anSmsStepOfAnEmailCampaignWaitsForEightOClockWhileEmailStepsKeepTheWindow() {
    List<PlannedStep> plan =
        PlanningActivitiesImpl.plan(
            mixed(), "A", "UTC", null, PlanRequest.fromStart(1, MONDAY_0630));

    assertThat(plan)
        .extracting(PlannedStep::type, PlannedStep::scheduledAt, PlannedStep::reason)
        .containsExactly(
            tuple("hook", MONDAY_0630, null),
            // Tuesday 06:30 is inside the campaign's window but before 08:00 for a text.
            tuple("proof", Instant.parse("2027-03-02T08:00:00Z"), "outside_window"),
            tuple("fomo", Instant.parse("2027-03-03T06:30:00Z"), null));
  }

  @Test
  void theSameStepsAllByEmailKeepTheCampaignsWindow() {
    Campaign email =
        base()
            .step("A", StepType.HOOK, 0, "Hook", "Hi")
            .step("A", StepType.PROOF, 1, "Proof", "Proof")
            .step("A", StepType.FOMO, 2, "Last", "Last")
            .build();

    List<PlannedStep> plan =
        PlanningActivitiesImpl.plan(email, "A", "UTC", null, PlanRequest.fromStart(1, MONDAY_0630));

    assertThat(plan)
        .extracting(PlannedStep::scheduledAt)
        .containsExactly(
            MONDAY_0630,
            Instant.parse("2027-03-02T06:30:00Z"),
            Instant.parse("2027-03-03T06:30:00Z"));
  }

  @Test
  void aTextToAFloridaLeadKeepsFloridasEightPmEndAndTheEmailsDoNot() {
    // 20:30 in New York (EST, UTC-5 until 2027-03-14): inside the campaign's window and the
    // federal 08:00-21:00, outside Florida's 08:00-20:00.
    Instant evening = Instant.parse("2027-03-02T01:30:00Z");
    List<PlannedStep> plan =
        PlanningActivitiesImpl.plan(
            mixed(), "A", "America/New_York", "FL", PlanRequest.fromStart(1, evening));

    assertThat(plan)
        .extracting(PlannedStep::type, PlannedStep::scheduledAt, PlannedStep::reason)
        .containsExactly(
            tuple("hook", evening, null),
            // Tuesday 20:30 local is past Florida's calling hours: Wednesday 08:00 local.
            tuple("proof", Instant.parse("2027-03-03T13:00:00Z"), "quiet_hours"),
            tuple("fomo", Instant.parse("2027-03-04T01:30:00Z"), null));
  }

  /** An email campaign, 06:00-22:00 every day, whose proof goes out by SMS. */
  private static Campaign mixed() {
    return base()
        .step("A", StepType.HOOK, 0, "Hook", "Hi")
        .step(
            new CampaignStep(
                "A",
                StepType.PROOF,
                1,
                null,
                "Proof by text",
                null,
                Channel.SMS,
                null,
                null,
                null,
                null,
                null,
                null))
        .step("A", StepType.FOMO, 2, "Last", "Last")
        .build();
  }

  private static CampaignBuilder base() {
    return CampaignBuilder.email("org_test")
        .schedule(
            Schedule.of(
                "UTC",
                LocalTime.of(6, 0),
                LocalTime.of(22, 0),
                EnumSet.allOf(DayOfWeek.class),
                null,
                Set.of(),
                null));
  }
}
