package dev.sequencer.activities.planning;

import dev.sequencer.activities.limits.SlotCalendar;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadRepository;
import dev.sequencer.store.lead.LeadStep;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.workflows.lead.PlanRequest;
import dev.sequencer.workflows.lead.PlannedStep;
import dev.sequencer.workflows.lead.PlanningActivities;
import dev.sequencer.workflows.lead.SendFailureTypes;
import dev.sequencer.workflows.lead.SequencePlan;
import dev.sequencer.workflows.lead.SequencePlanning;
import dev.sequencer.workflows.lead.SlotGrant;
import dev.sequencer.workflows.lead.SlotRequest;
import dev.sequencer.workflows.schedule.SendPlanner;
import dev.sequencer.workflows.schedule.StepSpec;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

@Component
public class PlanningActivitiesImpl implements PlanningActivities {

  private final CampaignRepository campaigns;
  private final LeadRepository leads;
  private final LeadQueries leadQueries;
  private final LeadSteps leadSteps;
  private final SlotCalendar slots;
  private final LeadTimeline timeline;
  private final TransactionTemplate transaction;

  public PlanningActivitiesImpl(
      CampaignRepository campaigns,
      LeadRepository leads,
      LeadQueries leadQueries,
      LeadSteps leadSteps,
      SlotCalendar slots,
      LeadTimeline timeline,
      TransactionTemplate transaction) {
    this.campaigns = campaigns;
    this.leads = leads;
    this.leadQueries = leadQueries;
    this.leadSteps = leadSteps;
    this.slots = slots;
    this.timeline = timeline;
    this.transaction = transaction;
  }

  @Override
  public SequencePlan planSteps(PlanRequest request) {
    Lead lead =
        leads.findById(request.leadPk()).orElseThrow(() -> notFound("lead " + request.leadPk()));
    Campaign campaign =
        campaigns.findById(lead.campaignId()).orElseThrow(() -> notFound(lead.campaignId()));
    List<PlannedStep> planned = plan(campaign, lead, request);
    leadSteps.plan(lead.id(), stored(planned));
    return new SequencePlan(
        lead.timezone(),
        planned,
        slots.isSlotted(campaign),
        generated(campaign, lead.variant() == null ? "A" : lead.variant()));
  }

  /** Whether a step of the variant's has generated copy. */
  public static boolean generated(Campaign campaign, String variant) {
    return variant != null
        && campaign.stepsOf(variant).stream()
            .anyMatch(dev.sequencer.store.campaign.CampaignStep::generated);
  }

  @Override
  public SlotGrant reserveSlot(SlotRequest request) {
    return transaction.execute(
        tx -> {
          // Under the lead's lock, like a send: a sequence that ended meanwhile holds no slot.
          Lead lead =
              leadQueries
                  .lock(request.leadPk())
                  .orElseThrow(() -> notFound("lead " + request.leadPk()));
          Campaign campaign =
              campaigns.findById(lead.campaignId()).orElseThrow(() -> notFound(lead.campaignId()));
          if (lead.status().isFinal() || !slots.isSlotted(campaign)) {
            return new SlotGrant(request.plannedAt(), null);
          }
          String key = request.workflowId() + ":" + request.position();
          SlotCalendar.Slot slot =
              slots.reserve(
                  onStepChannel(campaign, lead, request.position()),
                  lead,
                  key,
                  request.plannedAt(),
                  ZoneId.of(lead.timezone()));
          leadSteps.reschedule(lead.id(), request.position(), slot.at(), slot.reason());
          if (slot.fresh() && slot.reason() != null) {
            timeline.record(
                lead.organizationId(),
                lead.campaignId(),
                lead.id(),
                null,
                null,
                "deferred",
                slot.reason() + ", slot " + slot.at(),
                request.plannedAt());
          }
          return new SlotGrant(slot.at(), slot.reason());
        });
  }

  @Override
  public void recordWaiting(long leadPk, int fromPosition, String reason) {
    leadSteps.waitFrom(leadPk, fromPosition, reason);
  }

  @Override
  public Instant returnFromAbsence(long leadPk, LocalDate returnDate, Instant now) {
    Lead lead = leads.findById(leadPk).orElseThrow(() -> notFound("lead " + leadPk));
    Campaign campaign =
        campaigns.findById(lead.campaignId()).orElseThrow(() -> notFound(lead.campaignId()));
    return SequencePlanning.returnFromAbsence(
        plannable(CampaignSchedules.plannerFor(campaign, lead)),
        ZoneId.of(lead.timezone()),
        returnDate,
        now);
  }

  /** The campaign as the lead's step at {@code position} sees it: on the step's first channel. */
  public static Campaign onStepChannel(Campaign campaign, Lead lead, int position) {
    List<dev.sequencer.store.campaign.CampaignStep> steps =
        campaign.stepsOf(lead.variant() == null ? "A" : lead.variant());
    return position < steps.size()
        ? campaign.onChannel(steps.get(position).channelOr(campaign.channel()))
        : campaign;
  }

  /** The plan of a lead's steps from the request's position on. */
  public static List<PlannedStep> plan(Campaign campaign, Lead lead, PlanRequest request) {
    return plan(
        campaign,
        lead.variant(),
        lead.timezone(),
        CampaignSchedules.stateOf(campaign, lead),
        request);
  }

  /**
   * The plan of the steps of a lead of this variant, zone and US state, from the request's position
   * on.
   *
   * @param state the lead's state ({@link CampaignSchedules#stateOf}), or null
   * @throws ApplicationFailure of type {@link SendFailureTypes#NO_ALLOWED_TIME}, not retryable,
   *     when the campaign's window lies wholly outside the state's calling hours
   */
  public static List<PlannedStep> plan(
      Campaign campaign, String variant, String timezone, String state, PlanRequest request) {
    List<dev.sequencer.store.campaign.CampaignStep> campaignSteps =
        campaign.stepsOf(variant == null ? "A" : variant);
    List<StepSpec> steps =
        campaignSteps.stream().map(s -> new StepSpec(s.type().wireName(), s.day())).toList();
    if (!campaign.mixesChannels()) {
      return SequencePlanning.plan(
          plannable(CampaignSchedules.plannerFor(campaign, state)),
          ZoneId.of(timezone),
          steps,
          request);
    }
    // Each step keeps the window and quiet hours of the channel it goes out on first.
    java.util.Map<dev.sequencer.store.campaign.Channel, SendPlanner> byChannel =
        new java.util.EnumMap<>(dev.sequencer.store.campaign.Channel.class);
    List<SendPlanner> planners =
        campaignSteps.stream()
            .map(
                s ->
                    byChannel.computeIfAbsent(
                        s.channelOr(campaign.channel()),
                        c -> plannable(CampaignSchedules.plannerFor(campaign.onChannel(c), state))))
            .toList();
    return SequencePlanning.plan(planners, ZoneId.of(timezone), steps, request);
  }

  /**
   * The planner, when it allows some time: a lead no step can ever reach fails at once, rather than
   * retrying its plan for good.
   */
  private static SendPlanner plannable(SendPlanner planner) {
    if (!planner.hasAllowedTime()) {
      throw ApplicationFailure.newNonRetryableFailure(
          planner.noAllowedTime(), SendFailureTypes.NO_ALLOWED_TIME);
    }
    return planner;
  }

  /** Planned steps as the store keeps them. */
  public static List<LeadStep> stored(List<PlannedStep> planned) {
    return planned.stream()
        .map(
            p ->
                new LeadStep(
                    p.position(), p.type(), p.status(), p.scheduledAt(), null, p.reason(), null))
        .toList();
  }

  private static ApplicationFailure notFound(String what) {
    return ApplicationFailure.newNonRetryableFailure(
        what + " does not exist", SendFailureTypes.NOT_FOUND);
  }
}
