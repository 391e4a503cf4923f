package dev.sequencer.api.audience;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.auth.AuditRecorder;
import dev.sequencer.api.campaign.Ids;
import dev.sequencer.api.campaign.Paging;
import dev.sequencer.api.error.ConflictException;
import dev.sequencer.api.error.NotFoundException;
import dev.sequencer.store.audience.Audience;
import dev.sequencer.store.audience.AudienceMembers;
import dev.sequencer.store.audience.Audiences;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Saved audiences: a filter over the contact book's tags, attributes and lead fields, static
 * members, excluded tags and "not contacted within N days". Membership is worked out when asked
 * (estimate, members) and when a campaign enrols the audience, never stored.
 */
@RestController
@RequestMapping("/api/v1/audiences")
class AudienceController {

  private final Audiences audiences;
  private final AudienceMembers members;
  private final Clock clock;

  AudienceController(Audiences audiences, AudienceMembers members, Clock clock) {
    this.audiences = audiences;
    this.members = members;
    this.clock = clock;
  }

  record AudiencePage(
      List<AudienceView> audiences, long total, int limit, long offset, boolean hasMore) {}

  /**
   * @param exact false when the size is scaled up from a sample of a large contact book
   */
  record Estimate(long size, boolean exact) {}

  record MemberPage(List<String> contactIds, long total, int limit, long offset, boolean hasMore) {}

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  ResponseEntity<AudienceView> create(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @RequestBody JsonNode body,
      HttpServletRequest request) {
    AudienceBody.Parsed parsed = AudienceBody.parse(body);
    Instant now = clock.instant();
    Audience audience =
        new Audience(
            dev.sequencer.store.Ids.next("aud"), org, parsed.name(), parsed.definition(), now, now);
    audiences.create(audience);
    request.setAttribute(AuditRecorder.TARGET, audience.id());
    return ResponseEntity.created(URI.create("/api/v1/audiences/" + audience.id()))
        .body(AudienceView.of(audience));
  }

  @GetMapping
  AudiencePage list(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @RequestParam(defaultValue = "50") int limit,
      @RequestParam(defaultValue = "0") long offset) {
    Paging.check(limit, offset);
    List<AudienceView> page =
        audiences.list(org, limit, offset).stream().map(AudienceView::of).toList();
    long total = audiences.count(org);
    return new AudiencePage(page, total, limit, offset, offset + page.size() < total);
  }

  @GetMapping("/{audienceId}")
  AudienceView get(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String audienceId) {
    return AudienceView.of(find(org, audienceId));
  }

  /** How many contacts the audience holds now: exactly, or from a sample of a large book. */
  @GetMapping("/{audienceId}/estimate")
  Estimate estimate(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String audienceId) {
    AudienceMembers.Estimate estimate = members.estimate(find(org, audienceId), clock.instant());
    return new Estimate(estimate.size(), estimate.exact());
  }

  /** A page of the members' contact ids, in the order they joined the contact book. */
  @GetMapping("/{audienceId}/members")
  MemberPage members(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String audienceId,
      @RequestParam(defaultValue = "100") int limit,
      @RequestParam(defaultValue = "0") long offset) {
    Paging.check(limit, offset);
    Audience audience = find(org, audienceId);
    Instant now = clock.instant();
    List<String> page = members.contactIds(audience, now, limit, offset);
    long total = members.size(audience, now);
    return new MemberPage(page, total, limit, offset, offset + page.size() < total);
  }

  /** Only an audience no campaign that has not ended enrols; ended campaigns forget it. */
  @DeleteMapping("/{audienceId}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String audienceId) {
    Audience audience = find(org, audienceId);
    List<String> using = audiences.deleteUnlessUsed(org, audience.id());
    if (!using.isEmpty()) {
      throw new ConflictException(
          "campaigns that have not ended enrol this audience: "
              + String.join(", ", using)
              + "; cancel them, let them complete or give them another audience first");
    }
  }

  private Audience find(String org, String id) {
    return audiences
        .byId(org, Ids.checked("audience_id", id))
        .orElseThrow(() -> new NotFoundException("audience " + id + " does not exist"));
  }
}
