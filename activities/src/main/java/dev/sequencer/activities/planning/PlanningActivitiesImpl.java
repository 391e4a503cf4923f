package dev.sequencer.activities.planning;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignStep;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadRepository;
import dev.sequencer.store.lead.LeadStep;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.workflows.lead.PlanRequest;
import dev.sequencer.workflows.lead.PlannedStep;
import dev.sequencer.workflows.lead.PlanningActivities;
import dev.sequencer.workflows.lead.SequencePlan;
import dev.sequencer.workflows.schedule.SendPlanner;
import dev.sequencer.workflows.schedule.StepPlan;
import dev.sequencer.workflows.schedule.StepSpec;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
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
    SendPlanner planner = new SendPlanner(CampaignSchedules.rulesOf(campaign));
    ZoneId zone = ZoneId.of(lead.timezone());
    LocalDate back =
        returnDate != null
            ? planner.calendar().addBusinessDays(returnDate, 1)
            : planner.calendar().addBusinessDays(LocalDate.ofInstant(now, zone), 5);
    Instant at = planner.firstAllowedAtOrAfter(back.atStartOfDay(zone).toInstant(), zone);
    return at.isBefore(now) ? planner.firstAllowedAtOrAfter(now, zone) : at;
  }

  /** The plan of a lead's steps from the request's position on; pure, so the API can use it too. */
  public static List<PlannedStep> plan(Campaign campaign, Lead lead, PlanRequest request) {
    SendPlanner planner = new SendPlanner(CampaignSchedules.rulesOf(campaign));
    ZoneId zone = ZoneId.of(lead.timezone());
    List<CampaignStep> steps = campaign.stepsOf(lead.variant() == null ? "A" : lead.variant());
    List<PlannedStep> planned = new ArrayList<>();
    if (request.fromPosition() == 0) {
      Instant start = request.notBefore() != null ? request.notBefore() : request.anchor();
      List<StepPlan> plans =
          planner.plan(
              start,
              zone,
              steps.stream().map(s -> new StepSpec(s.type().wireName(), s.day())).toList());
      for (int i = 0; i < plans.size(); i++) {
        StepPlan p = plans.get(i);
        String reason = i == 0 && request.reason() != null ? request.reason() : p.reason();
        planned.add(new PlannedStep(i, p.type(), p.day(), p.scheduledAt(), "scheduled", reason));
      }
      return planned;
    }
    Instant previous = request.anchor();
    int previousDay = request.anchorDay();
    for (int i = request.fromPosition(); i < steps.size(); i++) {
      CampaignStep step = steps.get(i);
      Instant at =
          request.chained()
              ? planner.planAfter(previous, step.day() - previousDay, zone)
              : planner.planAfter(request.anchor(), step.day() - request.anchorDay(), zone);
      String reason = null;
      if (i == request.fromPosition()
          && request.notBefore() != null
          && at.isBefore(request.notBefore())) {
        at = planner.firstAllowedAtOrAfter(request.notBefore(), zone);
        reason = request.reason();
      }
      planned.add(new PlannedStep(i, step.type().wireName(), step.day(), at, "scheduled", reason));
      previous = at;
      previousDay = step.day();
    }
    return planned;
  }

  private static ApplicationFailure notFound(String what) {
    return ApplicationFailure.newNonRetryableFailure(what + " does not exist", "NotFound");
  }
}
