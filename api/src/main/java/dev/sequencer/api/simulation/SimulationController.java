package dev.sequencer.api.simulation;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.campaign.CampaignService;
import dev.sequencer.api.campaign.Ids;
import dev.sequencer.api.error.ConflictException;
import dev.sequencer.api.error.Problems;
import dev.sequencer.simulation.CampaignSimulator;
import dev.sequencer.simulation.Projection;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStatus;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Clock;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Projects a campaign's calendar before (or while) it runs; nothing is sent or changed. */
@RestController
class SimulationController {

  /** How long a caller turned away by a running simulation should wait. */
  static final String RETRY_AFTER_SECONDS = "10";

  private final CampaignService campaigns;
  private final CampaignSimulator simulator;
  private final Clock clock;

  SimulationController(CampaignService campaigns, CampaignSimulator simulator, Clock clock) {
    this.campaigns = campaigns;
    this.simulator = simulator;
    this.clock = clock;
  }

  @Operation(
      summary = "Simulate a campaign",
      description =
          "Runs the campaign's lead workflow for its leads (or a sample) on a private time-skipping"
              + " Temporal server with the real calendar, window, limits, holdout and variants,"
              + " drawing replies, opt-outs and bounces with the seed. Nothing is sent and nothing"
              + " of the campaign changes.")
  @PostMapping("/api/v1/campaigns/{id}/simulate")
  Projection simulate(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String id,
      @RequestBody(required = false) SimulationRequest body) {
    Campaign campaign = campaigns.find(org, Ids.checked("id", id));
    if (campaign.status() == CampaignStatus.CANCELLED) {
      throw new ConflictException(
          "campaign " + campaign.id() + " is cancelled: nothing remains to simulate");
    }
    SimulationRequest request = body == null ? SimulationRequest.DEFAULTS : body;
    return simulator.simulate(
        campaign, request.settingsFor(campaign, simulator.maxLeads(), clock.instant()));
  }

  @ExceptionHandler(CampaignSimulator.BusyException.class)
  ResponseEntity<ProblemDetail> busy(CampaignSimulator.BusyException e) {
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
        .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
        .body(Problems.of(HttpStatus.TOO_MANY_REQUESTS, e.getMessage()));
  }
}
