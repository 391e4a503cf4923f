package dev.sequencer.api.campaign;

import dev.sequencer.api.audience.CampaignAudienceLinks;
import dev.sequencer.api.concurrency.ChangeLeases;
import dev.sequencer.api.concurrency.ShortTransactions;
import dev.sequencer.api.error.ConflictException;
import dev.sequencer.api.error.FieldError;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.api.error.NotFoundException;
import dev.sequencer.api.error.ServiceUnavailableException;
import dev.sequencer.api.error.UnprocessableException;
import dev.sequencer.api.sender.SenderOwnership;
import dev.sequencer.api.temporal.TemporalCalls;
import dev.sequencer.api.trigger.TriggerValidator;
import dev.sequencer.api.trigger.TriggerView;
import dev.sequencer.store.Ids;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignRuns;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.campaign.CampaignTransitions;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.trigger.CampaignTriggers;
import dev.sequencer.store.trigger.Trigger;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

@Service
public class CampaignService {

  private static final Logger log = LoggerFactory.getLogger(CampaignService.class);

  private final CampaignRepository campaigns;
  private final CampaignTransitions transitions;
  private final dev.sequencer.config.GenerationSettings generation;
  private final dev.sequencer.store.generation.LeadGenerations generations;
  private final dev.sequencer.api.signal.WorkflowSignals signals;
  private final CampaignRuns runs;
  private final LeadQueries leads;
  private final WorkflowClient workflows;
  private final JsonMapper json;
  private final JdbcClient jdbc;
  private final ChangeLeases leases;
  private final ShortTransactions transactions;
  private final SenderOwnership senders;
  private final CampaignAudienceLinks audiences;
  private final Clock clock;
  private final CampaignTriggers triggers;
  private final dev.sequencer.store.webhook.WebhookTargets webhookTargets;

  public CampaignService(
      CampaignRepository campaigns,
      CampaignTransitions transitions,
      CampaignRuns runs,
      LeadQueries leads,
      WorkflowClient workflows,
      JsonMapper json,
      JdbcClient jdbc,
      ChangeLeases leases,
      ShortTransactions transactions,
      SenderOwnership senders,
      CampaignAudienceLinks audiences,
      Clock clock,
      CampaignTriggers triggers,
      dev.sequencer.config.GenerationSettings generation,
      dev.sequencer.store.generation.LeadGenerations generations,
      dev.sequencer.api.signal.WorkflowSignals signals,
      dev.sequencer.store.webhook.WebhookTargets webhookTargets) {
    this.webhookTargets = webhookTargets;
    this.generation = generation;
    this.generations = generations;
    this.signals = signals;
    this.triggers = triggers;
    this.campaigns = campaigns;
    this.transitions = transitions;
    this.runs = runs;
    this.leads = leads;
    this.workflows = workflows;
    this.json = json;
    this.jdbc = jdbc;
    this.leases = leases;
    this.transactions = transactions;
    this.senders = senders;
    this.audiences = audiences;
    this.clock = clock;
  }

  public Campaign find(String organizationId, String campaignId) {
    return campaigns
        .findByIdAndOrganizationId(campaignId, organizationId)
        .orElseThrow(() -> new NotFoundException("campaign " + campaignId + " does not exist"));
  }

  /**
   * The campaign's id, checked to be the organization's: one indexed lookup instead of loading the
   * campaign, for the calls that act on one of its leads.
   */
  public String requireId(String organizationId, String campaignId) {
    return campaigns
        .findIdOfOrganization(campaignId, organizationId)
        .orElseThrow(() -> new NotFoundException("campaign " + campaignId + " does not exist"));
  }

  public CampaignResponse response(Campaign campaign) {
    return CampaignMapper.toResponse(
            campaign,
            leads.countsByStatus(campaign.id()),
            campaign.schedule().recurrence() == null ? List.of() : runs.of(campaign.id()),
            audiences.of(campaign.id()))
        .withTrigger(triggers.of(campaign.id()).map(TriggerView::of).orElse(null));
  }

  public Campaign create(String organizationId, JsonNode body) {
    CampaignValidator.Definition definition = definitionOf(organizationId, body);
    Trigger trigger = triggerOf(body.get("trigger"), definition.schedule().recurrence());
    String audience = audiences.requested(organizationId, body);
    if (trigger != null && audience != null) {
      throw InvalidRequestException.of(
          CampaignAudienceLinks.FIELD,
          "a triggered campaign enrols the contacts its events name, not an audience");
    }
    senders.claim(organizationId, definition.channelsUsed(), definition.sender());
    return saveWith(
        CampaignMapper.newCampaign(Ids.next("cmp"), organizationId, definition, clock.instant()),
        trigger,
        audience);
  }

  /** A new campaign with its trigger and its audience (either may be null), all or nothing. */
  private Campaign saveWith(Campaign campaign, Trigger trigger, String audience) {
    if (trigger == null && audience == null) {
      return campaigns.save(campaign);
    }
    return transactions.execute(
        () -> {
          Campaign saved = campaigns.save(campaign);
          if (trigger != null) {
            triggers.save(saved.id(), saved.organizationId(), trigger);
          }
          if (audience != null) {
            audiences.set(saved.id(), audience);
          }
          return saved;
        });
  }

  /** The body's trigger, valid and not beside a recurrence; null when it has none. */
  private static Trigger triggerOf(JsonNode node, String recurrence) {
    Trigger trigger = TriggerValidator.validate(node);
    if (trigger != null && recurrence != null) {
      throw InvalidRequestException.of(
          "trigger", "a triggered campaign cannot also recur: remove schedule.recurrence");
    }
    return trigger;
  }

  /**
   * A PATCH of the trigger (RFC 7396 merge; null removes it), before the campaign is activated;
   * afterwards it is frozen like the campaign's structure.
   */
  private void patchTrigger(Campaign campaign, JsonNode patch) {
    if (!patch.has("trigger")) {
      if (campaign.schedule().recurrence() != null && triggers.isTriggered(campaign.id())) {
        throw InvalidRequestException.of(
            "schedule.recurrence", "a triggered campaign cannot recur");
      }
      return;
    }
    Optional<CampaignTriggers.Stored> stored = triggers.of(campaign.id());
    if (campaign.status() != CampaignStatus.DRAFT) {
      throw new ConflictException(
          "campaign is "
              + campaign.status().wireName()
              + ": its trigger can only change before the campaign is activated",
          List.of(new FieldError("trigger", "is frozen once the campaign is activated")));
    }
    JsonNode value = patch.get("trigger");
    if (value.isNull()) {
      triggers.delete(campaign.id());
      return;
    }
    JsonNode merged =
        stored.isPresent() && value.isObject()
            ? merge(json.valueToTree(TriggerView.of(stored.get())), value)
            : value;
    if (merged.isObject()) {
      ((ObjectNode) merged).remove("activated_at");
    }
    triggers.save(
        campaign.id(),
        campaign.organizationId(),
        triggerOf(merged, campaign.schedule().recurrence()));
  }

  /**
   * JSON merge patch (RFC 7396) of the definition. A draft may change in every part; once started,
   * only copy, the name and the settings outside the {@link FrozenStructure}; once ended, nothing.
   * A patch that changes anything makes a new revision.
   */
  public Campaign patch(String organizationId, String campaignId, JsonNode patch) {
    if (!patch.isObject()) {
      throw InvalidRequestException.of("body", "must be a JSON object");
    }
    String id = find(organizationId, campaignId).id();
    return leases.campaign(
        id,
        () ->
            transactions.execute(
                () -> {
                  // Against writers outside the lease: the run marking it running, sends.
                  transitions.lock(id);
                  Campaign result = patched(campaigns.findById(id).orElseThrow(), patch);
                  patchTrigger(result, patch);
                  return result;
                }));
  }

  private Campaign patched(Campaign campaign, JsonNode patch) {
    if (campaign.hasEnded()) {
      throw new ConflictException(
          "campaign is "
              + campaign.status().wireName()
              + ": an ended campaign can no longer be changed");
    }
    JsonNode merged = merge(json.valueToTree(CampaignMapper.toRequest(campaign)), patch);
    JsonNode autoPause = patch.path("auto_pause");
    if (autoPause.isObject() && !autoPause.has("enabled") && merged.path("auto_pause").isObject()) {
      // Settings given for auto-pause mean it on: only null or "enabled": false turn it off.
      ((ObjectNode) merged.get("auto_pause")).put("enabled", true);
    }
    CampaignValidator.Definition definition = definitionOf(campaign.organizationId(), merged);
    Campaign proposed = CampaignMapper.withDefinition(campaign, definition, campaign.updatedAt());
    // The audience is stored beside the definition: only a patch that names it changes it.
    String audience = audiences.of(campaign.id());
    String requested =
        CampaignAudienceLinks.named(patch)
            ? audiences.requested(campaign.organizationId(), patch)
            : audience;
    boolean audienceChanges = !Objects.equals(audience, requested);
    if (proposed.equals(campaign) && !audienceChanges) {
      return campaign;
    }
    if (campaign.hasStarted()) {
      List<String> frozen = new ArrayList<>(FrozenStructure.changes(campaign, proposed));
      if (audienceChanges) {
        // Its members were enrolled at the start.
        frozen.add(CampaignAudienceLinks.FIELD);
      }
      if (!frozen.isEmpty()) {
        throw new ConflictException(
            "campaign is "
                + campaign.status().wireName()
                + ": its structure (steps and their days, variants and allocations, holdout,"
                + " channel, schedule) is frozen once started, so "
                + String.join(", ", frozen)
                + " cannot change; copy (subject, body) and the name still can",
            frozen.stream()
                .map(field -> new FieldError(field, "is frozen once the campaign has started"))
                .toList());
      }
    }
    if (!Objects.equals(campaign.sender(), proposed.sender())
        || !campaign.channels().equals(proposed.channels())) {
      // A step on a new channel sends from the sender's address for it: that one is checked too.
      senders.claim(campaign.organizationId(), definition.channelsUsed(), proposed.sender());
    }
    if (audienceChanges) {
      audiences.set(campaign.id(), requested);
    }
    Campaign saved =
        campaigns.save(
            CampaignMapper.withDefinition(campaign, definition, clock.instant()).nextRevision());
    releaseReviews(campaign, saved);
    return saved;
  }

  /**
   * Texts waiting for review whose wait the change ended (review turned off, or the step no longer
   * generated) go out as templates: their leads' workflows wait for a resume, which is sent with
   * this commit.
   */
  private void releaseReviews(Campaign before, Campaign after) {
    if (!before.generation().review()) {
      return;
    }
    java.util.Set<String> released = new java.util.HashSet<>();
    for (dev.sequencer.store.campaign.CampaignStep step : before.steps()) {
      boolean stillReviewed =
          after.generation().review()
              && after.steps().stream()
                  .anyMatch(
                      s ->
                          s.variant().equals(step.variant())
                              && s.type() == step.type()
                              && s.generated());
      if (step.generated() && !stillReviewed) {
        released.add(step.type().wireName());
      }
    }
    if (released.isEmpty()) {
      return;
    }
    for (String workflowId : generations.releaseReviews(before.id(), released)) {
      signals.lead(workflowId, w -> w.resume());
    }
  }

  public Campaign cloneOf(String organizationId, String campaignId, String name) {
    Campaign source = find(organizationId, campaignId);
    ObjectNode body = json.valueToTree(CampaignMapper.toRequest(source));
    body.put("name", name == null ? source.name() + " (copy)" : name);
    CampaignValidator.Definition definition = definitionOf(organizationId, body);
    senders.claim(organizationId, definition.channelsUsed(), definition.sender());
    return saveWith(
        CampaignMapper.newCampaign(Ids.next("cmp"), organizationId, definition, clock.instant()),
        triggers.of(source.id()).map(CampaignTriggers.Stored::trigger).orElse(null),
        audiences.of(source.id()));
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

  public record Page(List<Campaign> campaigns, long total) {}

  /**
   * Starts the campaign run: now, or at {@code startAt} on a durable timer. The campaign turns
   * scheduled by a compare-and-set from draft, so of concurrent starts one wins; if Temporal then
   * does not start the run, it turns back to draft, so it is never scheduled without a run.
   */
  public Campaign start(String organizationId, String campaignId, Instant startAt) {
    String id = find(organizationId, campaignId).id();
    if (triggers.isTriggered(id)) {
      throw new ConflictException(
          "campaign has a trigger: activate it (POST /api/v1/campaigns/"
              + id
              + "/activate) instead of starting it");
    }
    return leases.campaign(id, () -> startAlone(campaigns.findById(id).orElseThrow(), startAt));
  }

  /**
   * Starts a triggered campaign's run now, as a start does (so pause, resume and cancel reach its
   * leads), marks it running at once so the next event already enrols, and its trigger active.
   */
  public Campaign activate(String organizationId, String campaignId) {
    String id = find(organizationId, campaignId).id();
    if (!triggers.isTriggered(id)) {
      throw new ConflictException(
          "campaign has no trigger: start it (POST /api/v1/campaigns/" + id + "/start) instead");
    }
    return leases.campaign(
        id,
        () -> {
          Campaign scheduled = startAlone(campaigns.findById(id).orElseThrow(), null);
          transactions.run(
              () -> {
                transitions.markRunning(id);
                triggers.activate(id, clock.instant());
              });
          return campaigns.findById(scheduled.id()).orElseThrow();
        });
  }

  private Campaign startAlone(Campaign campaign, Instant startAt) {
    Instant now = clock.instant();
    if (campaign.status() == CampaignStatus.SCHEDULED
        && startAt != null
        && campaign.startAt() != null
        && campaign.startAt().isAfter(now)) {
      return reschedule(campaign, startAt, now);
    }
    if (campaign.status() != CampaignStatus.DRAFT) {
      throw notStartable(campaign.status());
    }
    if (startAt != null && startAt.isBefore(now.minus(Duration.ofMinutes(5)))) {
      throw InvalidRequestException.of("start_at", "must not be in the past");
    }
    Instant effectiveStart = startAt == null || startAt.isBefore(now) ? now : startAt;
    String workflowId = CampaignRunWorkflow.workflowId(campaign.id());
    if (!transactions.execute(
        () -> transitions.schedule(campaign.id(), effectiveStart, workflowId))) {
      throw notStartable(campaigns.findById(campaign.id()).orElseThrow().status());
    }
    try {
      startRun(campaign, workflowId, effectiveStart);
    } catch (RuntimeException e) {
      unschedule(campaign, workflowId);
      throw new ServiceUnavailableException(
          "the workflow service (Temporal) did not start the campaign's run, so the campaign is"
              + " still a draft; start it again",
          e);
    }
    return campaigns.findById(campaign.id()).orElseThrow();
  }

  private static ConflictException notStartable(CampaignStatus status) {
    return new ConflictException(
        "campaign is "
            + status.wireName()
            + ": only a draft campaign can be started (or a scheduled one moved to a later start)");
  }

  private void startRun(Campaign campaign, String workflowId, Instant start) {
    CampaignRunWorkflow run =
        workflows.newWorkflowStub(
            CampaignRunWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.SEQUENCER)
                // Only a draft gets here, and a draft has no run but possibly one left over from a
                // start whose answer never came (it enrols nothing while the campaign is a draft):
                // that one is replaced.
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING)
                .build());
    boolean recurring = campaign.schedule().recurrence() != null;
    try {
      TemporalCalls.run(
          () ->
              WorkflowClient.start(
                  run::run, new CampaignRunInput(campaign.id(), start, 0, recurring)));
    } catch (WorkflowExecutionAlreadyStarted e) {
      // The run exists: what the start was for.
    }
  }

  /** Back to draft with the start and run it had, after its run could not be started. */
  private void unschedule(Campaign before, String workflowId) {
    try {
      if (!transactions.execute(
          () ->
              transitions.unschedule(
                  before.id(), workflowId, before.startAt(), before.workflowId()))) {
        log.error("campaign {} moved on while its run was being started", before.id());
      }
    } catch (RuntimeException e) {
      log.error(
          "campaign {} is left scheduled without a run: turning it back to draft failed",
          before.id(),
          e);
    }
  }

  /**
   * Moves the start of a campaign that has not started yet; leads whose sequences sent nothing
   * follow the new start. The run keeps its own start, so the store moves back if the run was not
   * told.
   */
  private Campaign reschedule(Campaign campaign, Instant startAt, Instant now) {
    if (!startAt.isAfter(now)) {
      throw InvalidRequestException.of(
          "start_at", "a scheduled campaign can only move to a future start");
    }
    Instant previous = campaign.startAt();
    if (!transactions.execute(() -> transitions.moveStart(campaign.id(), previous, startAt))) {
      throw new ConflictException("the campaign's start moved meanwhile; look at it again");
    }
    try {
      TemporalCalls.run(
          () ->
              workflows
                  .newWorkflowStub(CampaignRunWorkflow.class, campaign.workflowId())
                  .reschedule(startAt));
    } catch (WorkflowNotFoundException e) {
      moveBack(campaign.id(), startAt, previous);
      throw new ConflictException("the campaign's run is no longer open");
    } catch (RuntimeException e) {
      moveBack(campaign.id(), startAt, previous);
      throw new ServiceUnavailableException(
          "the workflow service (Temporal) did not take the new start, so the campaign still"
              + " starts at "
              + previous
              + "; try again",
          e);
    }
    return campaigns.findById(campaign.id()).orElseThrow();
  }

  private void moveBack(String campaignId, Instant from, Instant to) {
    try {
      transactions.execute(() -> transitions.moveStart(campaignId, from, to));
    } catch (RuntimeException e) {
      log.error("campaign {} shows a start its run does not know: {}", campaignId, from, e);
    }
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
      TemporalCalls.run(
          () ->
              workflows
                  .newWorkflowStub(CampaignRunWorkflow.class, campaign.workflowId())
                  .leadsAdded());
    } catch (WorkflowNotFoundException e) {
      throw new ConflictException("the campaign's run is no longer open");
    }
  }

  /** A valid definition whose pool, if it has one, is the organization's senders. */
  private CampaignValidator.Definition definitionOf(String organizationId, JsonNode body) {
    CampaignValidator.Definition definition = definitionOf(body);
    List<String> generated = definition.generatedStepFields();
    if (!generated.isEmpty() && !generation.enabled()) {
      throw new UnprocessableException(
          generated.stream()
              .map(
                  field ->
                      new FieldError(
                          field,
                          "generation is off: this service has no language model (set"
                              + " LLM_BASE_URL and LLM_MODEL)"))
              .toList());
    }
    // A webhook step's target passes the same checks as a webhook endpoint's (https and a public
    // address in production); every connection checks its address again.
    List<FieldError> targets = new ArrayList<>();
    List<dev.sequencer.store.campaign.CampaignStep> base = definition.baseSteps();
    for (int i = 0; i < base.size(); i++) {
      if (base.get(i).url() != null) {
        int at = i;
        webhookTargets
            .problemWith(base.get(i).url())
            .ifPresent(problem -> targets.add(new FieldError("steps[" + at + "].url", problem)));
      }
    }
    if (!targets.isEmpty()) {
      throw new UnprocessableException(targets);
    }
    return definition.withSender(
        senders.poolSender(
            organizationId, definition.channel(), definition.senderPool(), definition.sender()));
  }

  private CampaignValidator.Definition definitionOf(JsonNode body) {
    if (!body.isObject()) {
      throw InvalidRequestException.of("body", "must be a JSON object");
    }
    // The trigger is read apart (TriggerValidator) and kept in its own table.
    ObjectNode definition = ((ObjectNode) body).deepCopy();
    definition.remove("trigger");
    CampaignRequest request = json.treeToValue(definition, CampaignRequest.class);
    JsonNode schedule = body.path("schedule");
    boolean noCalendar =
        schedule.has("holiday_calendar") && schedule.get("holiday_calendar").isNull();
    boolean noAutoPause = body.has("auto_pause") && body.get("auto_pause").isNull();
    return CampaignValidator.validate(request, noCalendar, noAutoPause);
  }

  private static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject() || !target.isObject()) {
      return patch;
    }
    ObjectNode result = ((ObjectNode) target).deepCopy();
    for (var field : patch.properties()) {
      if (field.getValue().isNull()) {
        if (field.getKey().equals("holiday_calendar") || field.getKey().equals("auto_pause")) {
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
