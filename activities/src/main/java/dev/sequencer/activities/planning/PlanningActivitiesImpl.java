package dev.sequencer.activities.planning;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadRepository;
import dev.sequencer.store.lead.LeadStep;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.workflows.lead.PlanRequest;
import dev.sequencer.workflows.lead.PlannedStep;
import dev.sequencer.workflows.lead.PlanningActivities;
import dev.sequencer.workflows.lead.SequencePlan;
import dev.sequencer.workflows.lead.SequencePlanning;
import dev.sequencer.workflows.schedule.SendPlanner;
import dev.sequencer.workflows.schedule.StepSpec;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.springframework.stereotype.Component;

@Component
public class PlanningActivitiesImpl implements PlanningActivities {

  private final CampaignRepository campaigns;
  private final LeadRepository leads;
  private final LeadSteps leadSteps;

  public PlanningActivitiesImpl(
      CampaignRepository campaigns, LeadRepository leads, LeadSteps leadSteps) {
    this.campaigns = campaigns;
    this.leads = leads;
    this.leadSteps = leadSteps;
  }

  @Override
  public SequencePlan planSteps(PlanRequest request) {
    Lead lead =
        leads.findById(request.leadPk()).orElseThrow(() -> notFound("lead " + request.leadPk()));
    Campaign campaign =
        campaigns.findById(lead.campaignId()).orElseThrow(() -> notFound(lead.campaignId()));
    List<PlannedStep> planned = plan(campaign, lead, request);
    leadSteps.plan(
        lead.id(),
        planned.stream()
            .map(
                p ->
                    new LeadStep(
                        p.position(),
                        p.type(),
                        p.status(),
                        p.scheduledAt(),
                        null,
                        p.reason(),
                        null))
            .toList());
    return new SequencePlan(lead.timezone(), planned);
  }

  @Override
  public Instant returnFromAbsence(long leadPk, LocalDate returnDate, Instant now) {
    Lead lead = leads.findById(leadPk).orElseThrow(() -> notFound("lead " + leadPk));
    Campaign campaign =
        campaigns.findById(lead.campaignId()).orElseThrow(() -> notFound(lead.campaignId()));
    return SequencePlanning.returnFromAbsence(
        new SendPlanner(CampaignSchedules.rulesOf(campaign)),
        ZoneId.of(lead.timezone()),
        returnDate,
        now);
  }

  /** The plan of a lead's steps from the request's position on. */
  public static List<PlannedStep> plan(Campaign campaign, Lead lead, PlanRequest request) {
    List<StepSpec> steps =
        campaign.stepsOf(lead.variant() == null ? "A" : lead.variant()).stream()
            .map(s -> new StepSpec(s.type().wireName(), s.day()))
            .toList();
    return SequencePlanning.plan(
        new SendPlanner(CampaignSchedules.rulesOf(campaign)),
        ZoneId.of(lead.timezone()),
        steps,
        request);
  }

  private static ApplicationFailure notFound(String what) {
    return ApplicationFailure.newNonRetryableFailure(what + " does not exist", "NotFound");
  }
}
