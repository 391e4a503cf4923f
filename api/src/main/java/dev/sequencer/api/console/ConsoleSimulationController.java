package dev.sequencer.api.console;

import dev.sequencer.api.auth.Permission;
import dev.sequencer.api.campaign.CampaignService;
import dev.sequencer.api.campaign.Ids;
import dev.sequencer.api.error.ConflictException;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.api.simulation.SimulationRequest;
import dev.sequencer.simulation.CampaignSimulator;
import dev.sequencer.simulation.Projection;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.console.ConsoleSessions;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.ModelAndView;

/** The simulation's projection of a campaign, in the console: a chart, a table and words. */
@Controller
class ConsoleSimulationController {

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("EEE d MMM yyyy HH:mm", Locale.ENGLISH);

  private final CampaignService campaigns;
  private final CampaignSimulator simulator;
  private final Clock clock;

  ConsoleSimulationController(CampaignService campaigns, CampaignSimulator simulator, Clock clock) {
    this.campaigns = campaigns;
    this.simulator = simulator;
    this.clock = clock;
  }

  @PostMapping("/console/campaigns/{campaignId}/simulate")
  ModelAndView simulate(
      @RequestAttribute(ConsoleSessionFilter.SESSION) ConsoleSessions.Session session,
      @PathVariable String campaignId,
      @RequestParam(name = "reply_rate", defaultValue = "5") String replyRate,
      @RequestParam(name = "opt_out_rate", defaultValue = "1") String optOutRate,
      @RequestParam(name = "bounce_rate", defaultValue = "0") String bounceRate,
      @RequestParam(defaultValue = "1") String seed) {
    if (!ConsolePages.may(session, Permission.MANAGE)) {
      throw new ResponseStatusException(
          HttpStatus.FORBIDDEN,
          "a " + session.role().wireName() + " key may not simulate campaigns");
    }
    Campaign c = campaigns.find(session.organizationId(), Ids.checked("campaign_id", campaignId));
    if (c.status() == CampaignStatus.CANCELLED) {
      throw new ConflictException("a cancelled campaign has nothing left to simulate");
    }
    SimulationRequest request =
        new SimulationRequest(
            percent("reply_rate", replyRate),
            percent("opt_out_rate", optOutRate),
            percent("bounce_rate", bounceRate),
            null,
            whole("seed", seed),
            null,
            null);
    Projection projection =
        simulator.simulate(c, request.settingsFor(c, simulator.maxLeads(), clock.instant()));
    return page(session, c, projection);
  }

  private static ModelAndView page(
      ConsoleSessions.Session session, Campaign c, Projection projection) {
    ModelAndView view =
        ConsolePages.page("console/simulation", session, "Projection of " + c.name());
    ZoneId zone = ZoneId.of(c.schedule().timezone());
    view.addObject("campaign", Map.of("id", c.id(), "name", c.name()));
    view.addObject("zone", zone.getId());
    view.addObject("summary", summary(projection, zone));
    view.addObject("warnings", projection.warnings());
    view.addObject("hasWarnings", !projection.warnings().isEmpty());
    List<String> types = c.baseSteps().stream().map(s -> s.type().wireName()).toList();
    view.addObject("stepTypes", types);
    List<Charts.Bar> bars = new ArrayList<>();
    List<Map<String, Object>> days = new ArrayList<>();
    for (Projection.Day day : projection.days()) {
      bars.add(new Charts.Bar(DAY.format(day.date()), day.sends()));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("day", DAY.format(day.date()));
      row.put("sends", day.sends());
      row.put("steps", types.stream().map(t -> day.byStep().getOrDefault(t, 0L)).toList());
      row.put("variants", variants(day.byVariant()));
      days.add(row);
    }
    view.addObject("chart", bars.isEmpty() ? null : Charts.bars("Projected sends per day", bars));
    view.addObject("days", days);
    view.addObject(
        "deferred",
        projection.deferred().entrySet().stream()
            .map(e -> Map.of("reason", deferral(e.getKey()), "count", e.getValue()))
            .toList());
    Projection.Outcomes o = projection.projected();
    view.addObject(
        "outcomes",
        List.of(
            outcome("messages sent", o.sent()),
            outcome("leads replying", o.replied()),
            outcome("leads opting out", o.optedOut()),
            outcome("leads bouncing", o.bounced()),
            outcome("leads completing the sequence", o.completed()),
            outcome("leads in the holdout", o.holdout()),
            outcome("leads suppressed", o.suppressed())));
    Projection.Winner winner = projection.autoWinner();
    view.addObject(
        "winner",
        winner == null
            ? "The auto-winner rules would not pick a winner from these rates."
            : String.format(
                Locale.ROOT,
                "The auto-winner rules would pick variant %s on %s (p = %.3f).",
                winner.variant(),
                DAY.format(winner.decidedOn()),
                winner.pValue()));
    return view;
  }

  private static String summary(Projection projection, ZoneId zone) {
    String leads =
        projection.simulatedLeads() < projection.leads()
            ? projection.simulatedLeads() + " of " + projection.leads() + " leads (a sample)"
            : projection.leads() + " leads";
    if (projection.firstSendAt() == null) {
      return leads + ": nothing would be sent.";
    }
    return leads
        + ": first send "
        + TIME.format(projection.firstSendAt().atZone(zone))
        + ", last send "
        + TIME.format(projection.lastSendAt().atZone(zone))
        + ".";
  }

  private static String variants(Map<String, Long> byVariant) {
    StringBuilder out = new StringBuilder();
    byVariant.forEach(
        (variant, count) -> {
          if (count > 0) {
            out.append(out.isEmpty() ? "" : ", ").append(variant).append(": ").append(count);
          }
        });
    return out.toString();
  }

  private static String deferral(String reason) {
    return switch (reason) {
      case "daily_limit" -> "waited for the daily limit";
      case "holiday" -> "moved past a public holiday";
      case "weekend" -> "moved past a day that is not a business day";
      case "outside_window" -> "moved into the send window";
      case "quiet_hours" -> "moved into the SMS calling hours of the lead's state";
      case "frequency_cap" -> "waited for the frequency cap";
      case "per_minute" -> "waited for the per-minute limit";
      default -> reason.replace('_', ' ');
    };
  }

  private static Map<String, Object> outcome(String what, long count) {
    return Map.of("what", what, "count", count);
  }

  /** A percentage typed in the form, as the API's rate (a fraction). */
  private static Double percent(String field, String value) {
    try {
      return Double.parseDouble(value.trim()) / 100;
    } catch (NumberFormatException e) {
      throw InvalidRequestException.of(field, "must be a number from 0 to 100");
    }
  }

  private static Long whole(String field, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw InvalidRequestException.of(field, "must be a whole number");
    }
  }
}
