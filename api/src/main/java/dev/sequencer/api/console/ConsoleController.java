package dev.sequencer.api.console;

import dev.sequencer.activities.planning.CampaignSchedules;
import dev.sequencer.analysis.metrics.CampaignAnalytics;
import dev.sequencer.analysis.metrics.MetricsReport;
import dev.sequencer.api.auth.Permission;
import dev.sequencer.api.campaign.CampaignService;
import dev.sequencer.api.campaign.Ids;
import dev.sequencer.api.control.CampaignControl;
import dev.sequencer.api.control.LeadControl;
import dev.sequencer.api.control.OptOuts;
import dev.sequencer.api.control.SuppressionCsv;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.api.error.NotFoundException;
import dev.sequencer.api.history.LeadHistory;
import dev.sequencer.api.history.WorkflowEvents;
import dev.sequencer.config.SequencerProperties;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.campaign.CampaignStep;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.console.ConsoleQueries;
import dev.sequencer.store.console.ConsoleSessions;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadEvent;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadRepository;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadStep;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.store.organization.ApiKeys;
import dev.sequencer.store.organization.AuditLog;
import dev.sequencer.store.organization.KeyHolder;
import dev.sequencer.store.suppression.SuppressionQueries;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.ModelAndView;

/**
 * The support console: server-rendered pages over the same services as the API, for support staff
 * who pause and resume campaigns and leads and answer "why did this lead get (or not get) that
 * message?". What a page shows and which buttons it offers follow the signed-in key's role, and
 * every action is checked again here and written to the audit log.
 */
@Controller
class ConsoleController {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm", Locale.ENGLISH);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);
  private static final String SIGN_IN_COOKIE = "sequencer_console_signin";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final dev.sequencer.store.generation.LeadGenerations generations;
  private final dev.sequencer.api.control.CopyReviews reviews;
  private final ConsoleSessions sessions;
  private final ApiKeys keys;
  private final CampaignService campaigns;
  private final CampaignControl campaignControl;
  private final LeadControl leadControl;
  private final OptOuts optOuts;
  private final LeadRepository leads;
  private final LeadQueries leadQueries;
  private final LeadSteps steps;
  private final LeadTimeline timeline;
  private final LeadHistory history;
  private final ConsoleQueries console;
  private final SuppressionQueries suppressions;
  private final CampaignAnalytics analytics;
  private final AuditLog audit;
  private final Clock clock;
  private final String temporalUiUrl;
  private final String publicUrl;
  private final dev.sequencer.store.message.Messages messages;

  ConsoleController(
      ConsoleSessions sessions,
      ApiKeys keys,
      CampaignService campaigns,
      CampaignControl campaignControl,
      LeadControl leadControl,
      OptOuts optOuts,
      LeadRepository leads,
      LeadQueries leadQueries,
      LeadSteps steps,
      LeadTimeline timeline,
      LeadHistory history,
      ConsoleQueries console,
      SuppressionQueries suppressions,
      CampaignAnalytics analytics,
      AuditLog audit,
      Clock clock,
      SequencerProperties properties,
      dev.sequencer.store.generation.LeadGenerations generations,
      dev.sequencer.api.control.CopyReviews reviews,
      dev.sequencer.store.message.Messages messages,
      @Value("${TEMPORAL_UI_URL:}") String temporalUiUrl) {
    this.messages = messages;
    this.generations = generations;
    this.reviews = reviews;
    this.sessions = sessions;
    this.keys = keys;
    this.campaigns = campaigns;
    this.campaignControl = campaignControl;
    this.leadControl = leadControl;
    this.optOuts = optOuts;
    this.leads = leads;
    this.leadQueries = leadQueries;
    this.steps = steps;
    this.timeline = timeline;
    this.history = history;
    this.console = console;
    this.suppressions = suppressions;
    this.analytics = analytics;
    this.audit = audit;
    this.clock = clock;
    this.temporalUiUrl = temporalUiUrl.isBlank() ? null : temporalUiUrl.replaceAll("/+$", "");
    this.publicUrl = properties.publicUrl();
  }

  /** The lead's addresses on the campaign's channels a person can opt out of. */
  private static Map<Channel, String> addressesOf(Campaign c, Lead lead) {
    Map<Channel, String> addresses = new java.util.EnumMap<>(Channel.class);
    for (Channel channel : c.channels()) {
      String address = lead.addressOn(channel);
      if (address != null) {
        addresses.put(channel, address);
      }
    }
    return addresses;
  }

  // Sign-in: the key is exchanged for a session; a token in a SameSite cookie and in the form
  // keeps another site from signing a browser in with a key of its own.

  @GetMapping(ConsoleSessionFilter.SIGN_IN)
  ModelAndView signInForm(HttpServletRequest request, HttpServletResponse response) {
    String token = randomToken();
    response.addHeader(
        "Set-Cookie",
        SIGN_IN_COOKIE
            + "="
            + token
            + "; Path=/console/sign-in; Max-Age=900; HttpOnly; SameSite=Strict"
            + (ConsoleSessionFilter.secure(request, publicUrl) ? "; Secure" : ""));
    ModelAndView view = new ModelAndView("console/sign-in");
    view.addObject("signInToken", token);
    view.addObject("error", request.getParameter("error") != null);
    return view;
  }

  @PostMapping(ConsoleSessionFilter.SIGN_IN)
  String signIn(
      @RequestParam(defaultValue = "") String key,
      @RequestParam(defaultValue = "UTC") String zone,
      @RequestParam(name = "_signin", defaultValue = "") String signInToken,
      HttpServletRequest request,
      HttpServletResponse response) {
    String expected = cookie(request, SIGN_IN_COOKIE).orElse(null);
    if (expected == null || !expected.equals(signInToken)) {
      throw new ResponseStatusException(HttpStatus.FORBIDDEN, "sign in from the sign-in page");
    }
    Optional<KeyHolder> holder =
        key.isBlank() || key.length() > 200
            ? Optional.empty()
            : keys.holderOfHash(ApiKeys.hash(key.strip()));
    if (holder.isEmpty()) {
      return "redirect:" + ConsoleSessionFilter.SIGN_IN + "?error";
    }
    ConsoleSessions.Opened opened =
        sessions.open(
            holder.get().organizationId(),
            holder.get().keyId(),
            holder.get().role(),
            zoneOrUtc(zone).getId(),
            clock.instant());
    response.addHeader(
        "Set-Cookie",
        ConsoleSessionFilter.cookie(
            opened.token(),
            ConsoleSessions.LIFETIME.toSeconds(),
            ConsoleSessionFilter.secure(request, publicUrl)));
    return "redirect:/console";
  }

  @PostMapping("/console/sign-out")
  String signOut(HttpServletRequest request, HttpServletResponse response) {
    ConsoleSessionFilter.token(request).ifPresent(sessions::close);
    response.addHeader(
        "Set-Cookie",
        ConsoleSessionFilter.cookie("", 0, ConsoleSessionFilter.secure(request, publicUrl)));
    return "redirect:" + ConsoleSessionFilter.SIGN_IN;
  }

  // Campaigns

  @GetMapping("/console")
  ModelAndView campaignList(
      @RequestAttribute(ConsoleSessionFilter.SESSION) ConsoleSessions.Session session) {
    ModelAndView view = page("console/campaigns", session, "Campaigns");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Campaign c : campaigns.page(session.organizationId(), null, 200, 0).campaigns()) {
      Map<String, Object> row = campaignSummary(c);
      Map<LeadStatus, Long> counts = leadQueries.countsByStatus(c.id());
      row.put(
          "leadCounts",
          counts.entrySet().stream()
              .filter(e -> e.getValue() > 0)
              .map(e -> e.getValue() + " " + e.getKey().wireName())
              .reduce((a, b) -> a + ", " + b)
              .orElse("no leads"));
      ZoneId zone = ZoneId.of(c.schedule().timezone());
      LocalDate today = LocalDate.now(clock.withZone(zone));
      long sentToday =
          console.sentBetween(
              c.id(),
              today.atStartOfDay(zone).toInstant(),
              today.plusDays(1).atStartOfDay(zone).toInstant());
      Integer limit = c.limits().dailyLimit();
      row.put("sentToday", sentToday + (limit == null ? " (no daily limit)" : " of " + limit));
      rows.add(row);
    }
    view.addObject("campaigns", rows);
    view.addObject("none", rows.isEmpty());
    return view;
  }

  @GetMapping("/console/campaigns/{campaignId}")
  ModelAndView campaign(
      @RequestAttribute(ConsoleSessionFilter.SESSION) ConsoleSessions.Session session,
      @PathVariable String campaignId,
      @RequestParam(required = false) String done) {
    Campaign c = campaign(session, campaignId);
    ModelAndView view = page("console/campaign", session, c.name());
    view.addObject("campaign", campaignSummary(c));
    view.addObject("canSimulate", ConsolePages.may(session, Permission.MANAGE));
    view.addObject("done", done == null ? null : "Campaign " + words(done) + ".");
    List<Map<String, Object>> stepRows = new ArrayList<>();
    for (CampaignStep step : c.baseSteps()) {
      stepRows.add(
          Map.of(
              "type", step.type().wireName(),
              "day", step.day(),
              "channel",
                  String.join(
                      " → ", step.route(c.channel()).stream().map(Channel::wireName).toList()),
              "subject", step.subject() == null ? "" : step.subject()));
    }
    view.addObject("steps", stepRows);
    view.addObject(
        "variants",
        c.variants().stream()
            .map(v -> v.name() + " (" + v.allocationPercentage() + " %)")
            .reduce((a, b) -> a + ", " + b)
            .orElse("A only"));
    // The funnel: how many messages each step of each variant handed over.
    Map<String, Map<String, Long>> funnel = new LinkedHashMap<>();
    for (ConsoleQueries.FunnelCount f : console.funnel(c.id())) {
      funnel.computeIfAbsent(f.variant(), v -> new LinkedHashMap<>()).put(f.step(), f.sent());
    }
    List<Map<String, Object>> funnels = new ArrayList<>();
    funnel.forEach(
        (variant, counts) -> {
          List<Charts.Bar> bars = new ArrayList<>();
          for (CampaignStep step : c.stepsOf(variant)) {
            String type = step.type().wireName();
            bars.add(new Charts.Bar(type, counts.getOrDefault(type, 0L)));
          }
          funnels.add(
              Map.of(
                  "variant",
                  variant,
                  "chart",
                  Charts.bars("Messages sent per step, variant " + variant, bars)));
        });
    view.addObject("funnels", funnels);
    view.addObject("noFunnel", funnels.isEmpty());
    String zone = c.schedule().timezone();
    List<Charts.Bar> perDay =
        console.sentPerDay(c.id(), zone).stream()
            .map(d -> new Charts.Bar(DAY.format(d.day()), d.count()))
            .toList();
    view.addObject("sentChart", perDay.isEmpty() ? null : Charts.bars("Sends per day", perDay));
    view.addObject(
        "planned",
        console.plannedPerDay(c.id(), zone).stream()
            .map(d -> Map.of("day", DAY.format(d.day()), "count", d.count()))
            .toList());
    view.addObject("zone", zone);
    MetricsReport report = analytics.report(c);
    view.addObject("abResult", AbTestWords.of(report.abTest(), report.metrics()));
    view.addObject(
        "who",
        console.auditOf(session.organizationId(), c.id(), 20).stream()
            .map(this::auditLine)
            .toList());
    return view;
  }

  @GetMapping("/console/campaigns/{campaignId}/confirm")
  ModelAndView confirm(
      @RequestAttribute(ConsoleSessionFilter.SESSION) ConsoleSessions.Session session,
      @PathVariable String campaignId,
      @RequestParam String action) {
    requireControl(session);
    Campaign c = campaign(session, campaignId);
    if (!List.of("pause", "resume", "cancel").contains(action)) {
      throw new NotFoundException("no such action");
    }
    ModelAndView view = page("console/confirm", session, "Confirm");
    view.addObject("campaign", campaignSummary(c));
    view.addObject("action", action);
    view.addObject(
        "question",
        switch (action) {
          case "pause" -> "Pause every lead of " + c.name() + "? Nothing is sent until it resumes.";
          case "resume" -> "Resume " + c.name() + "? Its leads continue where they were.";
          default ->
              "Cancel " + c.name() + "? Every open sequence stops for good; this cannot be undone.";
        });
    return view;
  }

  @PostMapping("/console/campaigns/{campaignId}/{action:pause|resume|cancel}")
  String campaignAction(
      @RequestAttribute(ConsoleSessionFilter.SESSION) ConsoleSessions.Session session,
      @PathVariable String campaignId,
      @PathVariable String action,
      HttpServletRequest request) {
    int status = HttpStatus.SEE_OTHER.value();
    try {
      requireControl(session);
      Campaign c = campaign(session, campaignId);
      switch (action) {
        case "pause" -> campaignControl.pause(c);
        case "resume" -> campaignControl.resume(c);
        default -> campaignControl.cancel(c, "cancelled in the console");
      }
      return "redirect:/console/campaigns/" + c.id() + "?done=" + action + "d";
    } catch (RuntimeException e) {
      status = ConsoleErrors.statusOf(e).value();
      throw e;
    } finally {
      // Refused and failed actions too, as the API's audit does.
      audited(session, request, campaignId, status);
    }
  }

  // Leads

  @GetMapping("/console/leads")
  ModelAndView leadSearch(
      @RequestAttribute(ConsoleSessionFilter.SESSION) ConsoleSessions.Session session,
      @RequestParam(defaultValue = "") String q) {
    ModelAndView view = page("console/leads", session, "Leads");
    String search = search(q);
    view.addObject("q", search);
    if (!search.isBlank()) {
      List<ConsoleQueries.FoundLead> found =
          console.searchLeads(session.organizationId(), search, 100);
      view.addObject("results", found);
      view.addObject("hasResults", !found.isEmpty());
      view.addObject("nothing", found.isEmpty());
    }
    return view;
  }

  @GetMapping("/console/campaigns/{campaignId}/leads/{leadId}")
  ModelAndView lead(
      @RequestAttribute(ConsoleSessionFilter.SESSION) ConsoleSessions.Session session,
      @PathVariable String campaignId,
      @PathVariable String leadId,
      @RequestParam(required = false) String done) {
    Campaign c = campaign(session, campaignId);
    Lead lead = lead(c, leadId);
    ZoneId leadZone = zoneOrUtc(lead.timezone());
    String leadState = CampaignSchedules.stateOf(c, lead);
    ZoneId viewerZone = zoneOrUtc(session.viewerZone());
    ModelAndView view = page("console/lead", session, "Lead " + lead.leadId());
    view.addObject("campaign", campaignSummary(c));
    view.addObject(
        "done",
        done == null ? null : (words(done).startsWith("'") ? "Lead" : "Lead ") + words(done) + ".");
    Map<String, Object> person = new LinkedHashMap<>();
    person.put("leadId", lead.leadId());
    person.put("name", name(lead));
    person.put(
        "address",
        String.join(
            " · ",
            java.util.stream.Stream.of(lead.email(), lead.phone(), lead.whatsapp())
                .filter(java.util.Objects::nonNull)
                .toList()));
    person.put("status", lead.status().wireName());
    person.put("zone", leadZone.getId());
    person.put("senderId", lead.senderId());
    view.addObject("lead", person);
    view.addObject("viewerZone", viewerZone.getId());
    List<Map<String, Object>> stepRows = new ArrayList<>();
    Map<String, String> channelOfMessage = new java.util.HashMap<>();
    for (dev.sequencer.store.message.Message m : messages.ofLead(lead.id())) {
      channelOfMessage.put(m.id(), m.channel().toLowerCase(java.util.Locale.ROOT));
    }
    List<CampaignStep> planned = c.stepsOf(lead.variant() == null ? "A" : lead.variant());
    for (LeadStep step : steps.of(lead.id())) {
      Instant at = step.sentAt() != null ? step.sentAt() : step.scheduledAt();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("type", step.type());
      // The channel its message went out on; before that, the step's route.
      row.put(
          "channel",
          step.messageId() != null && channelOfMessage.containsKey(step.messageId())
              ? channelOfMessage.get(step.messageId())
              : step.position() < planned.size()
                  ? String.join(
                      " → ",
                      planned.get(step.position()).route(c.channel()).stream()
                          .map(Channel::wireName)
                          .toList())
                  : "");
      row.put("status", step.status());
      row.put("leadTime", at == null ? "" : TIME.format(at.atZone(leadZone)));
      row.put("viewerTime", at == null ? "" : TIME.format(at.atZone(viewerZone)));
      row.put("reason", Reasons.of(step.reason(), c, at, leadZone, leadState));
      stepRows.add(row);
    }
    view.addObject("steps", stepRows);
    List<Map<String, Object>> events = new ArrayList<>();
    for (LeadEvent event : timeline.of(lead.id())) {
      events.add(
          Map.of(
              "at", TIME.format(event.at().atZone(viewerZone)),
              "what", TimelineWords.of(event, c, leadZone, leadState)));
    }
    view.addObject("timeline", events);
    view.addObject(
        "who",
        console.auditOf(session.organizationId(), c.id() + "/" + lead.leadId(), 20).stream()
            .map(this::auditLine)
            .toList());
    boolean open = !lead.status().isFinal();
    boolean control = canControl(session);
    view.addObject("canPause", control && open && lead.status() != LeadStatus.PAUSED);
    view.addObject("canResume", control && lead.status() == LeadStatus.PAUSED);
    view.addObject(
        "canOptOut",
        control && !addressesOf(c, lead).isEmpty() && lead.status() != LeadStatus.OPTED_OUT);
    List<Map<String, Object>> generated = new ArrayList<>();
    for (var g : generations.of(lead.id())) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("step", g.step());
      row.put("status", g.status().replace('_', ' '));
      row.put("subject", g.subject());
      row.put("body", g.body());
      row.put("why", g.failure() != null ? g.failure() : g.rejections());
      row.put(
          "cost",
          g.model() == null
              ? ""
              : g.model()
                  + ", "
                  + g.attempts()
                  + " attempt(s), "
                  + (g.promptTokens() + g.completionTokens())
                  + " tokens");
      row.put("canReview", control && g.awaitingReview());
      generated.add(row);
    }
    view.addObject("generated", generated);
    view.addObject("hasGenerated", !generated.isEmpty());
    return view;
  }

  /** A person approves (or edits) a generated text that waits for review. */
  @PostMapping("/console/campaigns/{campaignId}/leads/{leadId}/steps/{step}/review")
  String reviewCopy(
      @RequestAttribute(ConsoleSessionFilter.SESSION) ConsoleSessions.Session session,
      @PathVariable String campaignId,
      @PathVariable String leadId,
      @PathVariable String step,
      @RequestParam(required = false) String decision,
      @RequestParam(required = false) String subject,
      @RequestParam(required = false) String body,
      HttpServletRequest request) {
    int status = HttpStatus.SEE_OTHER.value();
    try {
      requireControl(session);
      Campaign c = campaign(session, campaignId);
      Lead lead = lead(c, leadId);
      boolean edit = "edit".equals(decision);
      reviews.review(lead, step, edit ? subject : null, edit ? body : null, session.keyId());
      return "redirect:/console/campaigns/"
          + c.id()
          + "/leads/"
          + lead.leadId()
          + "?done="
          + (edit ? "review_edited" : "review_approved");
    } catch (RuntimeException e) {
      status = ConsoleErrors.statusOf(e).value();
      throw e;
    } finally {
      audited(session, request, campaignId + "/" + leadId + "/" + step, status);
    }
  }

  @PostMapping("/console/campaigns/{campaignId}/leads/{leadId}/{action:pause|resume|opt-out}")
  String leadAction(
      @RequestAttribute(ConsoleSessionFilter.SESSION) ConsoleSessions.Session session,
      @PathVariable String campaignId,
      @PathVariable String leadId,
      @PathVariable String action,
      HttpServletRequest request) {
    int status = HttpStatus.SEE_OTHER.value();
    try {
      requireControl(session);
      Campaign c = campaign(session, campaignId);
      Lead lead = lead(c, leadId);
      switch (action) {
        case "pause" -> leadControl.pause(c.id(), lead.leadId(), "paused in the console");
        case "resume" -> leadControl.resume(c.id(), lead.leadId());
        default -> {
          // The person asked support to stop: every address the campaign may reach them on.
          Map<Channel, String> addresses = addressesOf(c, lead);
          if (addresses.isEmpty()) {
            throw new ResponseStatusException(
                HttpStatus.CONFLICT, "the lead has no address on the campaign's channels");
          }
          addresses.forEach(
              (channel, address) ->
                  optOuts.optOut(
                      session.organizationId(),
                      channel.name(),
                      address,
                      "console",
                      "opted out in the console"));
        }
      }
      return "redirect:/console/campaigns/"
          + c.id()
          + "/leads/"
          + lead.leadId()
          + "?done="
          + (action.equals("opt-out") ? "opted_out" : action + "d");
    } catch (RuntimeException e) {
      status = ConsoleErrors.statusOf(e).value();
      throw e;
    } finally {
      audited(session, request, campaignId + "/" + leadId, status);
    }
  }

  @GetMapping("/console/campaigns/{campaignId}/leads/{leadId}/history")
  ModelAndView leadHistory(
      @RequestAttribute(ConsoleSessionFilter.SESSION) ConsoleSessions.Session session,
      @PathVariable String campaignId,
      @PathVariable String leadId) {
    Campaign c = campaign(session, campaignId);
    Lead lead = lead(c, leadId);
    ZoneId viewerZone = zoneOrUtc(session.viewerZone());
    ModelAndView view = page("console/history", session, "History of " + lead.leadId());
    view.addObject("campaign", campaignSummary(c));
    view.addObject("leadId", lead.leadId());
    Optional<LeadHistory.View> found = history.of(lead.workflowId());
    view.addObject("none", found.isEmpty());
    found.ifPresent(
        h -> {
          view.addObject("workflowId", h.workflowId());
          view.addObject(
              "state",
              h.state() == null
                  ? "not answering (no worker running)"
                  : h.state().status() + ", next step " + (h.state().nextStep() + 1));
          List<Map<String, Object>> events = new ArrayList<>();
          for (WorkflowEvents.Entry e : h.events()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", e.eventId());
            row.put("at", TIME.format(e.at().atZone(viewerZone)));
            row.put("summary", e.summary());
            row.put("details", e.details());
            events.add(row);
          }
          view.addObject("events", events);
          if (temporalUiUrl != null) {
            view.addObject(
                "temporalUi",
                temporalUiUrl
                    + "/namespaces/default/workflows/"
                    + java.net.URLEncoder.encode(h.workflowId(), StandardCharsets.UTF_8));
          }
        });
    return view;
  }

  // Suppressions

  @GetMapping("/console/suppressions")
  ModelAndView suppressionList(
      @RequestAttribute(ConsoleSessionFilter.SESSION) ConsoleSessions.Session session,
      @RequestParam(defaultValue = "") String q) {
    String search = search(q);
    ZoneId viewerZone = zoneOrUtc(session.viewerZone());
    ModelAndView view = page("console/suppressions", session, "Suppressions");
    view.addObject("q", search);
    view.addObject(
        "suppressions",
        suppressions.page(session.organizationId(), search, null, 200, 0).stream()
            .map(
                s ->
                    Map.of(
                        "channel", s.channel().toLowerCase(Locale.ROOT),
                        "address", s.address(),
                        "source", s.source(),
                        "at", TIME.format(s.createdAt().atZone(viewerZone))))
            .toList());
    view.addObject(
        "audit",
        suppressions.audit(session.organizationId(), search, null, 200, 0).stream()
            .map(
                a ->
                    Map.of(
                        "at", TIME.format(a.at().atZone(viewerZone)),
                        "action", a.action().replace('_', ' '),
                        "address", a.address(),
                        "source", a.source(),
                        "detail", a.detail() == null ? "" : a.detail()))
            .toList());
    view.addObject("exportQuery", java.net.URLEncoder.encode(search, StandardCharsets.UTF_8));
    return view;
  }

  @GetMapping("/console/suppressions.csv")
  void suppressionExport(
      @RequestAttribute(ConsoleSessionFilter.SESSION) ConsoleSessions.Session session,
      @RequestParam(defaultValue = "") String q,
      HttpServletResponse response)
      throws IOException {
    SuppressionCsv.write(suppressions, session.organizationId(), search(q), null, response);
  }

  // Helpers

  private ModelAndView page(String template, ConsoleSessions.Session session, String title) {
    return ConsolePages.page(template, session, title);
  }

  private Map<String, Object> campaignSummary(Campaign c) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", c.id());
    row.put("name", c.name());
    row.put("status", c.status().wireName());
    row.put("channel", c.channel().wireName());
    boolean running =
        c.status() == CampaignStatus.RUNNING || c.status() == CampaignStatus.SCHEDULED;
    row.put("canPause", running);
    row.put("canResume", c.status() == CampaignStatus.PAUSED);
    row.put("pauseReason", c.status() == CampaignStatus.PAUSED ? c.pauseReason() : null);
    row.put("canCancel", !c.hasEnded() && c.status() != CampaignStatus.DRAFT);
    return row;
  }

  private Map<String, Object> auditLine(ConsoleQueries.AuditLine line) {
    return Map.of(
        "at",
        TIME.format(line.at().atZone(ZoneId.of("UTC"))) + " UTC",
        "what",
        line.method() + " " + line.path() + " → " + line.status(),
        "key",
        line.keyId());
  }

  private Campaign campaign(ConsoleSessions.Session session, String campaignId) {
    return campaigns.find(session.organizationId(), Ids.checked("campaign_id", campaignId));
  }

  private Lead lead(Campaign campaign, String leadId) {
    return leads
        .findByCampaignIdAndLeadId(campaign.id(), Ids.checked("lead_id", leadId))
        .orElseThrow(() -> new NotFoundException("lead " + leadId + " is not in this campaign"));
  }

  /** A search as typed, up to 200 characters; a NUL (no text column holds one) is refused. */
  private static String search(String q) {
    if (q.indexOf('\u0000') >= 0) {
      throw InvalidRequestException.of("q", "must not contain NUL characters");
    }
    return q.length() > 200 ? q.substring(0, 200) : q;
  }

  private static boolean canControl(ConsoleSessions.Session session) {
    return ConsolePages.may(session, Permission.CONTROL);
  }

  private static void requireControl(ConsoleSessions.Session session) {
    if (!canControl(session)) {
      throw new ResponseStatusException(
          HttpStatus.FORBIDDEN,
          "a " + session.role().wireName() + " key may not pause, resume, cancel or opt out");
    }
  }

  private void audited(
      ConsoleSessions.Session session, HttpServletRequest request, String target, int status) {
    audit.record(
        new AuditLog.Entry(
            session.organizationId(),
            clock.instant(),
            session.keyId(),
            "POST",
            request.getRequestURI(),
            status,
            target.length() > 300 ? target.substring(0, 300) : target));
  }

  private static String name(Lead lead) {
    String name =
        ((lead.firstName() == null ? "" : lead.firstName())
                + " "
                + (lead.lastName() == null ? "" : lead.lastName()))
            .strip();
    return name.isEmpty() ? "(no name)" : name;
  }

  private static String words(String done) {
    return switch (done) {
      case "paused", "resumed", "cancelled" -> done;
      case "opted_out" -> "opted out";
      case "review_approved" -> "'s generated text approved";
      case "review_edited" -> "'s generated text edited and approved";
      default -> "updated";
    };
  }

  private static ZoneId zoneOrUtc(String zone) {
    try {
      return zone == null || zone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(zone);
    } catch (DateTimeException e) {
      return ZoneId.of("UTC");
    }
  }

  private static Optional<String> cookie(HttpServletRequest request, String name) {
    if (request.getCookies() == null) {
      return Optional.empty();
    }
    for (var cookie : request.getCookies()) {
      if (name.equals(cookie.getName())) {
        return Optional.of(cookie.getValue());
      }
    }
    return Optional.empty();
  }

  private static String randomToken() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
