package dev.sequencer.activities.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.sequencer.activitiestest.ActivitiesIntegrationTest;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.StepType;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadStep;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.store.testing.CampaignBuilder;
import dev.sequencer.store.testing.StoreFixtures;
import dev.sequencer.workflows.lead.PlanRequest;
import dev.sequencer.workflows.lead.PlannedStep;
import dev.sequencer.workflows.lead.SequencePlan;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class PlanningActivitiesImplTest extends ActivitiesIntegrationTest {

  /** Friday 2027-01-15, 18:30 in New York: after the window, before MLK Day weekend. */
  private static final Instant FRIDAY_EVENING = Instant.parse("2027-01-15T23:30:00Z");

  @Autowired PlanningActivitiesImpl planning;
  @Autowired LeadSteps leadSteps;
  @Autowired LeadQueries leadQueries;

  private Campaign newYorkCampaign(CampaignBuilder builder) {
    return fixtures()
        .save(
            builder
                .weekdays("America/New_York", LocalTime.of(9, 0), LocalTime.of(17, 0), "US")
                .build());
  }

  private Lead lead(Campaign campaign, String leadId, String zone, String variant) {
    return lead(campaign, StoreFixtures.newLead(campaign, leadId, "Grace", null), zone, variant);
  }

  private Lead lead(Campaign campaign, Lead lead, String zone, String variant) {
    Lead stored =
        fixtures()
            .insert(
                new Lead(
                    null,
                    lead.organizationId(),
                    lead.campaignId(),
                    lead.leadId(),
                    lead.email(),
                    lead.phone(),
                    lead.firstName(),
                    lead.lastName(),
                    lead.company(),
                    lead.title(),
                    zone,
                    lead.attributes(),
                    lead.status(),
                    null,
                    null,
                    lead.createdAt(),
                    lead.updatedAt(),
                    null));
    leadQueries.enrol(
        stored.id(), LeadStatus.ACTIVE, variant, "lead-" + campaign.id() + "-" + lead.leadId());
    return stored;
  }

  @Test
  void plansAllThreeStepsAroundTheWeekendAndTheHoliday() {
    Campaign campaign = newYorkCampaign(CampaignBuilder.email(fixtures().organization()));
    Lead lead = lead(campaign, "ny", "America/New_York", "A");

    SequencePlan plan = planning.planSteps(PlanRequest.fromStart(lead.id(), FRIDAY_EVENING));

    // Monday 2027-01-18 is Martin Luther King Day: the hook waits for Tuesday 09:00 EST.
    Instant hook = Instant.parse("2027-01-19T14:00:00Z");
    Instant proof = Instant.parse("2027-01-22T14:00:00Z");
    Instant fomo = Instant.parse("2027-01-28T14:00:00Z");
    assertThat(plan.zone()).isEqualTo("America/New_York");
    assertThat(plan.steps())
        .extracting(
            PlannedStep::position,
            PlannedStep::type,
            PlannedStep::day,
            PlannedStep::scheduledAt,
            PlannedStep::status,
            PlannedStep::reason)
        .containsExactly(
            tuple(0, "hook", 0, hook, "scheduled", "outside_window"),
            tuple(1, "proof", 3, proof, "scheduled", null),
            tuple(2, "fomo", 7, fomo, "scheduled", null));
    assertThat(leadSteps.of(lead.id()))
        .extracting(
            LeadStep::position,
            LeadStep::type,
            LeadStep::status,
            LeadStep::scheduledAt,
            LeadStep::reason)
        .containsExactly(
            tuple(0, "hook", "scheduled", hook, "outside_window"),
            tuple(1, "proof", "scheduled", proof, null),
            tuple(2, "fomo", "scheduled", fomo, null));
  }

  @Test
  void plansInTheLeadsOwnTimeZone() {
    Campaign campaign = newYorkCampaign(CampaignBuilder.email(fixtures().organization()));
    Lead lead = lead(campaign, "la", "America/Los_Angeles", "A");

    planning.planSteps(PlanRequest.fromStart(lead.id(), FRIDAY_EVENING));

    // 18:30 in New York is 15:30 in Los Angeles, inside the lead's window: the hook goes at once,
    // and the later steps keep its local time, counting past Martin Luther King Day.
    assertThat(leadSteps.of(lead.id()))
        .extracting(LeadStep::scheduledAt, LeadStep::reason)
        .containsExactly(
            tuple(FRIDAY_EVENING, null),
            tuple(Instant.parse("2027-01-21T23:30:00Z"), null),
            tuple(Instant.parse("2027-01-27T23:30:00Z"), null));
  }

  @Test
  void replansLaterStepsFromTheHooksActualSendAndKeepsTheSentHook() {
    Campaign campaign = newYorkCampaign(CampaignBuilder.email(fixtures().organization()));
    Lead lead = lead(campaign, "replan", "America/New_York", "A");
    planning.planSteps(PlanRequest.fromStart(lead.id(), FRIDAY_EVENING));
    // The hook went out late, Tuesday 10:30 EST.
    Instant hookSent = Instant.parse("2027-01-19T15:30:00Z");
    leadSteps.markSent(lead.id(), "hook", hookSent, null);

    SequencePlan later =
        planning.planSteps(new PlanRequest(lead.id(), 1, hookSent, 0, null, null, false));

    Instant proof = Instant.parse("2027-01-22T15:30:00Z");
    Instant fomo = Instant.parse("2027-01-28T15:30:00Z");
    assertThat(later.steps())
        .extracting(PlannedStep::position, PlannedStep::scheduledAt)
        .containsExactly(tuple(1, proof), tuple(2, fomo));
    assertThat(leadSteps.of(lead.id()))
        .extracting(LeadStep::type, LeadStep::status, LeadStep::scheduledAt, LeadStep::sentAt)
        .containsExactly(
            tuple("hook", "sent", Instant.parse("2027-01-19T14:00:00Z"), hookSent),
            tuple("proof", "scheduled", proof, null),
            tuple("fomo", "scheduled", fomo, null));
  }

  @Test
  void plansTheStepsOfTheLeadsVariant() {
    Campaign campaign =
        newYorkCampaign(
            CampaignBuilder.email(fixtures().organization())
                .step("A", StepType.HOOK, 0, "A", "A hook")
                .step("A", StepType.PROOF, 3, "A", "A proof")
                .step("A", StepType.FOMO, 7, "A", "A fomo")
                .step("B", StepType.FOMO, 5, "B", "B fomo")
                .variant("B", 50));
    Lead lead = lead(campaign, "b", "America/New_York", "B");

    planning.planSteps(PlanRequest.fromStart(lead.id(), FRIDAY_EVENING));

    // Variant B's FOMO comes five business days after the hook: Tuesday 2027-01-26.
    assertThat(leadSteps.of(lead.id()))
        .extracting(LeadStep::type, LeadStep::scheduledAt)
        .containsExactly(
            tuple("hook", Instant.parse("2027-01-19T14:00:00Z")),
            tuple("proof", Instant.parse("2027-01-22T14:00:00Z")),
            tuple("fomo", Instant.parse("2027-01-26T14:00:00Z")));
  }

  @Test
  void anUnknownLeadIsANonRetryableFailure() {
    try {
      planning.planSteps(PlanRequest.fromStart(Long.MAX_VALUE, FRIDAY_EVENING));
      throw new AssertionError("expected a failure");
    } catch (ApplicationFailure failure) {
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getType()).isEqualTo("NotFound");
    }
  }

  @Test
  void aLeadWhoseStateAllowsNoTimeInTheWindowFailsAtOnce() {
    // 08:00-09:00 in Austin, where texts may start at 09:00 only: no step can ever go out.
    Campaign campaign =
        fixtures()
            .save(
                CampaignBuilder.sms(fixtures().organization())
                    .weekdays("America/Chicago", LocalTime.of(8, 0), LocalTime.of(9, 0), "US")
                    .build());
    Lead austin =
        lead(
            campaign,
            StoreFixtures.newLead(campaign, "austin", "Tex", "+15125550123"),
            "America/Chicago",
            "A");

    assertThatThrownBy(() -> planning.planSteps(PlanRequest.fromStart(austin.id(), FRIDAY_EVENING)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getType()).isEqualTo("NoAllowedTime");
              assertThat(failure.getOriginalMessage())
                  .isEqualTo(
                      "the send window 08:00-09:00 lies outside the calling hours of TX on every"
                          + " business day");
            });
  }
}
