package dev.sequencer.api.campaign;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStatus;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/campaigns")
class CampaignController {

  private final CampaignService campaigns;

  CampaignController(CampaignService campaigns) {
    this.campaigns = campaigns;
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  ResponseEntity<CampaignResponse> create(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @io.swagger.v3.oas.annotations.media.Content(
                      mediaType = "application/json",
                      schema =
                          @io.swagger.v3.oas.annotations.media.Schema(
                              implementation = CampaignRequest.class)))
          @RequestBody
          JsonNode body) {
    Campaign campaign = campaigns.create(org, body);
    return ResponseEntity.created(URI.create("/api/v1/campaigns/" + campaign.id()))
        .body(campaigns.response(campaign));
  }

  @GetMapping("/{id}")
  CampaignResponse get(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String id) {
    return campaigns.response(campaigns.find(org, Ids.checked("id", id)));
  }

  @GetMapping
  CampaignPage list(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @RequestParam(required = false) String status,
      @RequestParam(defaultValue = "50") int limit,
      @RequestParam(defaultValue = "0") long offset) {
    Paging.check(limit, offset);
    CampaignStatus filter = null;
    if (status != null) {
      try {
        filter = CampaignStatus.valueOf(status.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw InvalidRequestException.of(
            "status", "must be one of draft, scheduled, running, paused, completed, cancelled");
      }
    }
    CampaignService.Page page = campaigns.page(org, filter, limit, offset);
    List<CampaignResponse> items = page.campaigns().stream().map(campaigns::response).toList();
    return new CampaignPage(
        items, page.total(), limit, offset, offset + items.size() < page.total());
  }

  record CampaignPage(
      List<CampaignResponse> campaigns, long total, int limit, long offset, boolean hasMore) {}

  @PatchMapping("/{id}")
  CampaignResponse patch(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String id,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @io.swagger.v3.oas.annotations.media.Content(
                      mediaType = "application/json",
                      schema =
                          @io.swagger.v3.oas.annotations.media.Schema(
                              implementation = CampaignRequest.class)))
          @RequestBody
          JsonNode body) {
    return campaigns.response(campaigns.patch(org, Ids.checked("id", id), body));
  }

  record CloneRequest(String name) {}

  @PostMapping("/{id}/clone")
  @ResponseStatus(HttpStatus.CREATED)
  ResponseEntity<CampaignResponse> cloneCampaign(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String id,
      @RequestBody(required = false) CloneRequest body) {
    Campaign copy =
        campaigns.cloneOf(org, Ids.checked("id", id), body == null ? null : body.name());
    return ResponseEntity.created(URI.create("/api/v1/campaigns/" + copy.id()))
        .body(campaigns.response(copy));
  }

  record StartRequest(String startAt) {}

  /** How far ahead a start may be planned: further is a typo (or an attack), not a plan. */
  static final java.time.Duration MAX_START_AHEAD = java.time.Duration.ofDays(2 * 366);

  @PostMapping("/{id}/start")
  @ResponseStatus(HttpStatus.ACCEPTED)
  ResponseEntity<CampaignResponse> start(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String id,
      @RequestBody(required = false) StartRequest body) {
    Instant startAt = null;
    if (body != null && body.startAt() != null) {
      try {
        startAt = Instant.parse(body.startAt());
      } catch (DateTimeParseException e) {
        throw InvalidRequestException.of(
            "start_at", "must be an ISO-8601 instant such as 2027-11-24T15:00:00Z");
      }
      if (startAt.isAfter(Instant.now().plus(MAX_START_AHEAD))) {
        throw InvalidRequestException.of("start_at", "must be within two years from now");
      }
    }
    Campaign started = campaigns.start(org, Ids.checked("id", id), startAt);
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(campaigns.response(started));
  }
}
