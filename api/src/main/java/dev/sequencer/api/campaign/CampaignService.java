package dev.sequencer.api.campaign;

import dev.sequencer.api.error.ConflictException;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.api.error.NotFoundException;
import dev.sequencer.store.Ids;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignRuns;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.workflows.TaskQueues;
import dev.sequencer.workflows.campaign.CampaignRunInput;
import dev.sequencer.workflows.campaign.CampaignRunWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

@Service
public class CampaignService {

  private final CampaignRepository campaigns;
  private final CampaignRuns runs;
  private final LeadQueries leads;
  private final WorkflowClient workflows;
  private final JsonMapper json;
  private final JdbcClient jdbc;
  private final Clock clock;

  CampaignService(
      CampaignRepository campaigns,
      CampaignRuns runs,
      LeadQueries leads,
      WorkflowClient workflows,
      JsonMapper json,
      JdbcClient jdbc,
      Clock clock) {
    this.campaigns = campaigns;
    this.runs = runs;
    this.leads = leads;
    this.workflows = workflows;
    this.json = json;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public Campaign find(String organizationId, String campaignId) {
    return campaigns
        .findByIdAndOrganizationId(campaignId, organizationId)
        .orElseThrow(() -> new NotFoundException("campaign " + campaignId + " does not exist"));
  }

  public CampaignResponse response(Campaign campaign) {
    return CampaignMapper.toResponse(
        campaign,
        leads.countsByStatus(campaign.id()),
        campaign.schedule().recurrence() == null ? List.of() : runs.of(campaign.id()));
  }

  public Campaign create(String organizationId, JsonNode body) {
    CampaignValidator.Definition definition = definitionOf(body);
    return campaigns.save(
        CampaignMapper.newCampaign(Ids.next("cmp"), organizationId, definition, clock.instant()));
  }

  /** JSON merge patch (RFC 7396) of the definition, allowed while draft or scheduled. */
  public Campaign patch(String organizationId, String campaignId, JsonNode patch) {
    Campaign campaign = find(organizationId, campaignId);
    if (!campaign.isEditable()) {
      throw new ConflictException(
          "campaign is "
              + campaign.status().wireName()
              + ": only draft or scheduled campaigns can be changed");
    }
    if (!patch.isObject()) {
      throw InvalidRequestException.of("body", "must be a JSON object");
    }
    JsonNode current = json.valueToTree(CampaignMapper.toRequest(campaign));
    JsonNode merged = merge(current, patch);
    return campaigns.save(
        CampaignMapper.withDefinition(campaign, definitionOf(merged), clock.instant()));
  }

  public Campaign cloneOf(String organizationId, String campaignId, String name) {
    Campaign source = find(organizationId, campaignId);
    ObjectNode body = json.valueToTree(CampaignMapper.toRequest(source));
    body.put("name", name == null ? source.name() + " (copy)" : name);
    return campaigns.save(
        CampaignMapper.newCampaign(
            Ids.next("cmp"), organizationId, definitionOf(body), clock.instant()));
  }

  public Page page(String organizationId, CampaignStatus status, int limit, long offset) {
    String filter =
        "organization_id = :org and (cast(:status as text) is null or status = :status)";
    List<String> ids =
        jdbc.sql(
                "select id from campaigns where "
                    + filter
                    + " order by created_at desc, id limit :limit offset :offset")
            .param("org", organizationId)
            .param("status", status == null ? null : status.name())
            .param("limit", limit)
            .param("offset", offset)
            .query(String.class)
            .list();
    long total =
        jdbc.sql("select count(*) from campaigns where " + filter)
            .param("org", organizationId)
            .param("status", status == null ? null : status.name())
            .query(Long.class)
            .single();
    List<Campaign> page = ids.stream().map(id -> campaigns.findById(id).orElseThrow()).toList();
    return new Page(page, total);
  }

  record Page(List<Campaign> campaigns, long total) {}

  /** Starts the campaign run: now, or at {@code startAt} on a durable timer. */
  public Campaign start(String organizationId, String campaignId, Instant startAt) {
    Campaign campaign = find(organizationId, campaignId);
    Instant now = clock.instant();
    if (campaign.status() == CampaignStatus.SCHEDULED
        && startAt != null
        && campaign.startAt() != null
        && campaign.startAt().isAfter(now)) {
      return reschedule(campaign, startAt, now);
    }
    if (campaign.status() != CampaignStatus.DRAFT) {
      throw new ConflictException(
          "campaign is "
              + campaign.status().wireName()
              + ": only a draft campaign can be started (or a scheduled one moved to a later start)");
    }
    if (startAt != null && startAt.isBefore(now.minus(Duration.ofMinutes(5)))) {
      throw InvalidRequestException.of("start_at", "must not be in the past");
    }
    Instant effectiveStart = startAt == null || startAt.isBefore(now) ? now : startAt;
    String workflowId = CampaignRunWorkflow.workflowId(campaign.id());
    Campaign scheduled =
        campaigns.save(campaign.started(effectiveStart, workflowId, CampaignStatus.SCHEDULED, now));
    CampaignRunWorkflow run =
        workflows.newWorkflowStub(
            CampaignRunWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.SEQUENCER)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
    try {
      boolean recurring = campaign.schedule().recurrence() != null;
      WorkflowClient.start(
          run::run, new CampaignRunInput(campaign.id(), effectiveStart, 0, recurring));
    } catch (WorkflowExecutionAlreadyStarted e) {
      // A retried request: the run exists already.
    }
    return scheduled;
  }

  /**
   * Moves the start of a campaign that has not started yet; leads whose sequences sent nothing
   * follow the new start.
   */
  private Campaign reschedule(Campaign campaign, Instant startAt, Instant now) {
    if (!startAt.isAfter(now)) {
      throw InvalidRequestException.of(
          "start_at", "a scheduled campaign can only move to a future start");
    }
    Campaign moved =
        campaigns.save(
            campaign.started(startAt, campaign.workflowId(), CampaignStatus.SCHEDULED, now));
    try {
      workflows
          .newWorkflowStub(CampaignRunWorkflow.class, campaign.workflowId())
          .reschedule(startAt);
    } catch (WorkflowNotFoundException e) {
      throw new ConflictException("the campaign's run is no longer open");
    }
    return moved;
  }

  /** Tells a started campaign's run that new leads wait to be enrolled. */
  public void notifyLeadsAdded(Campaign campaign) {
    if (campaign.workflowId() == null
        || campaign.status() == CampaignStatus.DRAFT
        || campaign.status() == CampaignStatus.CANCELLED
        || campaign.status() == CampaignStatus.COMPLETED) {
      return;
    }
    try {
      workflows.newWorkflowStub(CampaignRunWorkflow.class, campaign.workflowId()).leadsAdded();
    } catch (WorkflowNotFoundException e) {
      throw new ConflictException("the campaign's run is no longer open");
    }
  }

  private CampaignValidator.Definition definitionOf(JsonNode body) {
    if (!body.isObject()) {
      throw InvalidRequestException.of("body", "must be a JSON object");
    }
    CampaignRequest request = json.treeToValue(body, CampaignRequest.class);
    JsonNode schedule = body.path("schedule");
    boolean noCalendar =
        schedule.has("holiday_calendar") && schedule.get("holiday_calendar").isNull();
    return CampaignValidator.validate(request, noCalendar);
  }

  private static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject() || !target.isObject()) {
      return patch;
    }
    ObjectNode result = ((ObjectNode) target).deepCopy();
    for (var field : patch.properties()) {
      if (field.getValue().isNull()) {
        if (field.getKey().equals("holiday_calendar")) {
          result.set(field.getKey(), field.getValue());
        } else {
          result.remove(field.getKey());
        }
      } else {
        result.set(field.getKey(), merge(result.path(field.getKey()), field.getValue()));
      }
    }
    return result;
  }
}
