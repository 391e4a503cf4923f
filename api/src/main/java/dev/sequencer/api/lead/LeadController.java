package dev.sequencer.api.lead;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.campaign.CampaignService;
import dev.sequencer.api.campaign.Ids;
import dev.sequencer.api.campaign.Paging;
import dev.sequencer.api.error.ConflictException;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.api.error.NotFoundException;
import dev.sequencer.api.history.LeadHistory;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadRepository;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.store.message.Messages;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/api/v1/campaigns/{campaignId}/leads")
class LeadController {

  private final CampaignService campaigns;
  private final LeadImporter importer;
  private final LeadRepository leads;
  private final LeadQueries queries;
  private final LeadSteps steps;
  private final LeadTimeline timeline;
  private final Messages messages;
  private final JsonMapper json;
  private final LeadHistory history;

  private final dev.sequencer.store.generation.LeadGenerations generations;

  LeadController(
      CampaignService campaigns,
      LeadImporter importer,
      LeadRepository leads,
      LeadQueries queries,
      LeadSteps steps,
      LeadTimeline timeline,
      Messages messages,
      JsonMapper json,
      LeadHistory history,
      dev.sequencer.store.generation.LeadGenerations generations) {
    this.generations = generations;
    this.campaigns = campaigns;
    this.importer = importer;
    this.leads = leads;
    this.queries = queries;
    this.steps = steps;
    this.timeline = timeline;
    this.messages = messages;
    this.json = json;
    this.history = history;
  }

  @PostMapping(consumes = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      required = true,
      description =
          "A JSON array of leads, or CSV with a header row naming lead_id, email, phone,"
              + " first_name, last_name, company, title, timezone and attributes.<name> columns",
      content = {
        @io.swagger.v3.oas.annotations.media.Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE,
            array =
                @io.swagger.v3.oas.annotations.media.ArraySchema(
                    schema =
                        @io.swagger.v3.oas.annotations.media.Schema(
                            implementation = LeadRow.class))),
        @io.swagger.v3.oas.annotations.media.Content(
            mediaType = "text/csv",
            schema =
                @io.swagger.v3.oas.annotations.media.Schema(
                    type = "string",
                    example =
                        "lead_id,email,first_name,company\nl-1,grace@example.com,Grace,Globex\n"))
      })
  ImportResult importLeads(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String campaignId,
      HttpServletRequest request)
      throws IOException {
    Campaign campaign = campaigns.find(org, Ids.checked("campaign_id", campaignId));
    if (campaign.status() == CampaignStatus.CANCELLED
        || campaign.status() == CampaignStatus.COMPLETED) {
      throw new ConflictException(
          "campaign is " + campaign.status().wireName() + ": leads can no longer be added");
    }
    // The body is read to a file first: a slow upload then holds a request thread, never one of
    // the few database connections the import's transaction needs.
    Path upload = Files.createTempFile("sequencer-leads-", ".upload");
    ImportResult result;
    try {
      try (InputStream body = request.getInputStream()) {
        Files.copy(body, upload, StandardCopyOption.REPLACE_EXISTING);
      }
      try (InputStream spooled = Files.newInputStream(upload)) {
        result =
            request.getContentType().toLowerCase(Locale.ROOT).startsWith("text/csv")
                ? importer.importCsv(
                    campaign, new InputStreamReader(spooled, StandardCharsets.UTF_8))
                : importer.importJson(campaign, spooled);
      }
    } finally {
      Files.deleteIfExists(upload);
    }
    if (result.accepted() > 0) {
      campaigns.notifyLeadsAdded(campaign);
    }
    return result;
  }

  record LeadPage(List<LeadResponse> leads, long total, int limit, long offset, boolean hasMore) {}

  @GetMapping
  LeadPage list(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String campaignId,
      @RequestParam(required = false) String status,
      @RequestParam(defaultValue = "50") int limit,
      @RequestParam(defaultValue = "0") long offset) {
    Paging.check(limit, offset);
    Campaign campaign = campaigns.find(org, Ids.checked("campaign_id", campaignId));
    LeadStatus filter = null;
    if (status != null) {
      try {
        filter = LeadStatus.valueOf(status.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw InvalidRequestException.of("status", "is not a lead status");
      }
    }
    List<LeadResponse> page =
        queries.page(campaign.id(), filter, limit, offset).stream().map(this::summary).toList();
    long total = queries.count(campaign.id(), filter);
    return new LeadPage(page, total, limit, offset, offset + page.size() < total);
  }

  @GetMapping("/{leadId}")
  LeadResponse get(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String campaignId,
      @PathVariable String leadId) {
    Campaign campaign = campaigns.find(org, Ids.checked("campaign_id", campaignId));
    Lead lead =
        leads
            .findByCampaignIdAndLeadId(campaign.id(), Ids.checked("lead_id", leadId))
            .orElseThrow(
                () -> new NotFoundException("lead " + leadId + " is not in this campaign"));
    return detail(campaign, lead);
  }

  /** The lead's workflow history from Temporal, readable, with the workflow's current state. */
  @GetMapping("/{leadId}/history")
  LeadHistory.View history(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String campaignId,
      @PathVariable String leadId) {
    Campaign campaign = campaigns.find(org, Ids.checked("campaign_id", campaignId));
    Lead lead =
        leads
            .findByCampaignIdAndLeadId(campaign.id(), Ids.checked("lead_id", leadId))
            .orElseThrow(
                () -> new NotFoundException("lead " + leadId + " is not in this campaign"));
    return history
        .of(lead.workflowId())
        .orElseThrow(
            () ->
                new NotFoundException(
                    "lead "
                        + leadId
                        + " has no workflow yet: it starts when the campaign enrols the lead"));
  }

  private LeadResponse summary(Lead lead) {
    return view(lead, null, null, null, null);
  }

  private LeadResponse detail(Campaign campaign, Lead lead) {
    List<dev.sequencer.store.message.Message> sent = messages.ofLead(lead.id());
    Map<String, String> channelOfMessage = new java.util.HashMap<>();
    sent.forEach(m -> channelOfMessage.put(m.id(), m.channel().toLowerCase(java.util.Locale.ROOT)));
    List<dev.sequencer.store.campaign.CampaignStep> planned =
        campaign.stepsOf(lead.variant() == null ? "A" : lead.variant());
    return view(
        lead,
        steps.of(lead.id()).stream()
            .map(
                s ->
                    LeadResponse.Step.of(
                        s,
                        s.messageId() != null && channelOfMessage.containsKey(s.messageId())
                            ? channelOfMessage.get(s.messageId())
                            : s.position() < planned.size()
                                ? planned.get(s.position()).channelOr(campaign.channel()).wireName()
                                : null))
            .toList(),
        sent.stream().map(LeadResponse.MessageView::of).toList(),
        timeline.of(lead.id()).stream().map(LeadResponse.TimelineEntry::of).toList(),
        generations.of(lead.id()).stream().map(LeadResponse.Generated::of).toList());
  }

  private LeadResponse view(
      Lead lead,
      List<LeadResponse.Step> steps,
      List<LeadResponse.MessageView> messages,
      List<LeadResponse.TimelineEntry> timeline,
      List<LeadResponse.Generated> generated) {
    Map<String, Object> attributes =
        json.readValue(lead.attributes(), new TypeReference<Map<String, Object>>() {});
    return new LeadResponse(
        lead.leadId(),
        lead.status().wireName(),
        lead.variant(),
        lead.workflowId(),
        lead.email(),
        lead.phone(),
        lead.firstName(),
        lead.lastName(),
        lead.company(),
        lead.title(),
        lead.timezone(),
        attributes,
        lead.createdAt(),
        steps,
        messages,
        timeline,
        lead.senderId(),
        generated,
        lead.whatsapp());
  }
}
