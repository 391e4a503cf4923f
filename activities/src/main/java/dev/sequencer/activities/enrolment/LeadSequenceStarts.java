package dev.sequencer.activities.enrolment;

import dev.sequencer.activities.limits.SlotCalendar;
import dev.sequencer.activities.planning.CampaignSchedules;
import dev.sequencer.activities.planning.PlanningActivitiesImpl;
import dev.sequencer.analysis.AbDecisions;
import dev.sequencer.analysis.Decision;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadWriter.Enrolment;
import dev.sequencer.workflows.campaign.VariantAssignment;
import dev.sequencer.workflows.lead.LeadSequenceInput;
import dev.sequencer.workflows.lead.PlanRequest;
import dev.sequencer.workflows.lead.SendFailureTypes;
import dev.sequencer.workflows.lead.SequencePlan;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How a lead's sequence is set up when it is enrolled, the same for a campaign's enrolment of its
 * pending leads and for a trigger's enrolment of one contact: its variant (or the holdout), its
 * sender from the campaign's pool, its plan and its workflow's input.
 */
public class LeadSequenceStarts {

  private final AbDecisions decisions;
  private final SenderAssignment senderAssignment;
  private final SlotCalendar slots;
  private final Duration sendTimeout;

  public LeadSequenceStarts(
      AbDecisions decisions,
      SenderAssignment senderAssignment,
      SlotCalendar slots,
      Duration sendTimeout) {
    this.decisions = decisions;
    this.senderAssignment = senderAssignment;
    this.slots = slots;
    this.sendTimeout = sendTimeout;
  }

  /** The shares new leads are assigned by: the A/B winner's alone once there is one. */
  public List<VariantAssignment.Allocation> allocations(Campaign campaign) {
    return VariantAllocations.of(campaign, decisions.of(campaign.id()).map(Decision::winner));
  }

  /** The lead's variant, or {@link VariantAssignment#HOLDOUT}. */
  public static String variantOf(
      Campaign campaign, String leadId, List<VariantAssignment.Allocation> allocations) {
    return VariantAssignment.assign(
        campaign.id(), leadId, campaign.holdoutPercentage(), allocations);
  }

  /** A sender from the campaign's pool for each lead; empty when the campaign has no pool. */
  public Map<Long, String> senders(Campaign campaign, List<Long> leadPks) {
    return senderAssignment.assign(campaign, leadPks);
  }

  /** The campaign's sender pool, in pool order; empty when it has none. */
  public List<dev.sequencer.store.sender.RegisteredSender> pool(Campaign campaign) {
    return senderAssignment.poolOf(campaign);
  }

  public boolean isSlotted(Campaign campaign) {
    return slots.isSlotted(campaign);
  }

  /**
   * The lead's plan from {@code sequenceStart}; null when its state leaves no time to message it
   * (its workflow then plans for itself and records the lead failed with the reason).
   */
  public static SequencePlan plan(
      Campaign campaign, String variant, Lead lead, Instant sequenceStart, boolean slotted) {
    try {
      return new SequencePlan(
          lead.timezone(),
          PlanningActivitiesImpl.plan(
              campaign,
              variant,
              lead.timezone(),
              CampaignSchedules.stateOf(campaign, lead),
              PlanRequest.fromStart(lead.id(), sequenceStart)),
          slotted,
          PlanningActivitiesImpl.generated(campaign, variant));
    } catch (ApplicationFailure unplannable) {
      if (!SendFailureTypes.NO_ALLOWED_TIME.equals(unplannable.getType())) {
        throw unplannable;
      }
      return null;
    }
  }

  /** The input of the lead's sequence workflow. */
  public LeadSequenceInput input(
      Campaign campaign, Lead lead, Instant sequenceStart, SequencePlan plan) {
    return new LeadSequenceInput(
            lead.organizationId(), campaign.id(), lead.leadId(), lead.id(), sequenceStart)
        .withSendTimeout(sendTimeout)
        .withPlan(plan);
  }

  /** A lead whose sequence starts in a paused or cancelled campaign is enrolled as it is. */
  public static Enrolment asCampaignIs(Enrolment enrolment, CampaignStatus campaign) {
    if (enrolment.status() != LeadStatus.ACTIVE) {
      return enrolment;
    }
    return switch (campaign) {
      case PAUSED ->
          new Enrolment(
              enrolment.leadPk(),
              LeadStatus.PAUSED,
              enrolment.variant(),
              enrolment.workflowId(),
              enrolment.event(),
              enrolment.detail() + "; paused with its campaign");
      case CANCELLED ->
          new Enrolment(
              enrolment.leadPk(),
              LeadStatus.CANCELLED,
              enrolment.variant(),
              enrolment.workflowId(),
              enrolment.event(),
              enrolment.detail() + "; its campaign is cancelled");
      default -> enrolment;
    };
  }
}
