package dev.sequencer.activities.enrolment;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.store.suppression.Suppressions;
import dev.sequencer.workflows.TaskQueues;
import dev.sequencer.workflows.campaign.EnrolmentActivities;
import dev.sequencer.workflows.campaign.LeadCommand;
import dev.sequencer.workflows.campaign.VariantAssignment;
import dev.sequencer.workflows.lead.LeadSequenceInput;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import dev.sequencer.workflows.lead.Stop;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

@Component
public class EnrolmentActivitiesImpl implements EnrolmentActivities {

  private static final int BATCH = 200;

  private final CampaignRepository campaigns;
  private final LeadQueries leads;
  private final LeadTimeline timeline;
  private final Suppressions suppressions;
  private final WorkflowClient workflows;
  private final Clock clock;

  public EnrolmentActivitiesImpl(
      CampaignRepository campaigns,
      LeadQueries leads,
      LeadTimeline timeline,
      Suppressions suppressions,
      @Lazy WorkflowClient workflows,
      Clock clock) {
    this.campaigns = campaigns;
    this.leads = leads;
    this.timeline = timeline;
    this.suppressions = suppressions;
    this.workflows = workflows;
    this.clock = clock;
  }

  @Override
  public void markRunning(String campaignId) {
    campaigns
        .findById(campaignId)
        .filter(c -> c.status() == CampaignStatus.SCHEDULED)
        .ifPresent(c -> campaigns.save(c.withStatus(CampaignStatus.RUNNING, clock.instant())));
  }

  @Override
  public long enrolPending(String campaignId, Instant sequenceStart) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    long after = context.getHeartbeatDetails(Long.class).orElse(0L);
    Campaign campaign = campaigns.findById(campaignId).orElseThrow();
    List<VariantAssignment.Allocation> allocations =
        campaign.variants().stream()
            .map(v -> new VariantAssignment.Allocation(v.name(), v.allocationPercentage()))
            .toList();
    long enrolled = 0;
    for (List<Lead> batch = leads.pendingAfter(campaignId, after, BATCH);
        !batch.isEmpty();
        batch = leads.pendingAfter(campaignId, after, BATCH)) {
      for (Lead lead : batch) {
        enrol(campaign, lead, allocations, sequenceStart);
        enrolled++;
        after = lead.id();
      }
      context.heartbeat(after);
    }
    return enrolled;
  }

  @Override
  public void broadcast(String campaignId, LeadCommand command) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    long after = context.getHeartbeatDetails(Long.class).orElse(0L);
    for (List<Lead> batch = leads.runningAfter(campaignId, after, BATCH);
        !batch.isEmpty();
        batch = leads.runningAfter(campaignId, after, BATCH)) {
      for (Lead lead : batch) {
        signal(lead.workflowId(), command);
        after = lead.id();
      }
      context.heartbeat(after);
    }
  }

  private void signal(String workflowId, LeadCommand command) {
    LeadSequenceWorkflow lead = workflows.newWorkflowStub(LeadSequenceWorkflow.class, workflowId);
    try {
      switch (command.kind()) {
        case PAUSE -> lead.pause(command.reason());
        case RESUME -> lead.resume();
        case STOP -> lead.stop(new Stop("cancelled", command.reason()));
      }
    } catch (WorkflowNotFoundException ended) {
      // The sequence has already ended.
    }
  }

  private void enrol(
      Campaign campaign,
      Lead lead,
      List<VariantAssignment.Allocation> allocations,
      Instant sequenceStart) {
    String address = campaign.channel() == Channel.EMAIL ? lead.email() : lead.phone();
    if (address == null
        || suppressions.isSuppressed(lead.organizationId(), campaign.channel().name(), address)) {
      leads.enrol(lead.id(), LeadStatus.SUPPRESSED, null, null);
      timeline.record(
          lead.organizationId(),
          campaign.id(),
          lead.id(),
          null,
          null,
          "suppressed",
          address == null
              ? "no " + campaign.channel().wireName() + " address"
              : "on the suppression list",
          clock.instant());
      return;
    }
    String variant =
        VariantAssignment.assign(
            campaign.id(), lead.leadId(), campaign.holdoutPercentage(), allocations);
    if (VariantAssignment.HOLDOUT.equals(variant)) {
      leads.enrol(lead.id(), LeadStatus.HOLDOUT, null, null);
      timeline.record(
          lead.organizationId(),
          campaign.id(),
          lead.id(),
          null,
          null,
          "holdout",
          "kept out of all messages to measure lift",
          clock.instant());
      return;
    }
    String workflowId = LeadSequenceWorkflow.workflowId(campaign.id(), lead.leadId());
    // Start before marking the lead active: a crash in between leaves it pending, and the retry's
    // second start is refused by the workflow id, so no lead is lost or started twice.
    leads.assignVariant(lead.id(), variant);
    LeadSequenceWorkflow stub =
        workflows.newWorkflowStub(
            LeadSequenceWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.SEQUENCER)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
    try {
      WorkflowClient.start(
          stub::run,
          new LeadSequenceInput(
              lead.organizationId(), campaign.id(), lead.leadId(), lead.id(), sequenceStart));
    } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
      // Started by an earlier attempt of this activity.
    }
    leads.enrol(lead.id(), LeadStatus.ACTIVE, variant, workflowId);
    timeline.record(
        lead.organizationId(),
        campaign.id(),
        lead.id(),
        null,
        null,
        "enrolled",
        "variant " + variant + ", workflow " + workflowId,
        clock.instant());
  }
}
