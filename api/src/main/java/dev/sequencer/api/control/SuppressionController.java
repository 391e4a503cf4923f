package dev.sequencer.api.control;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.campaign.Paging;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.store.suppression.SuppressionQueries;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The organization's suppression list and its audit trail: who opted out, when, by which route
 * (keyword, link, reply, bounce, carrier, api) and who opted them back in. Searchable by part of
 * the address, and exportable as CSV.
 */
@RestController
@RequestMapping("/api/v1/suppressions")
class SuppressionController {

  private static final int MAX_SEARCH = 200;

  private final SuppressionQueries suppressions;

  SuppressionController(SuppressionQueries suppressions) {
    this.suppressions = suppressions;
  }

  record SuppressionResponse(String channel, String address, String source, Instant createdAt) {
    static SuppressionResponse of(SuppressionQueries.Suppressed s) {
      return new SuppressionResponse(
          s.channel().toLowerCase(Locale.ROOT), s.address(), s.source(), s.createdAt());
    }
  }

  record SuppressionPage(
      List<SuppressionResponse> suppressions,
      long total,
      int limit,
      long offset,
      boolean hasMore) {}

  record AuditResponse(
      Instant at, String channel, String address, String action, String source, String detail) {}

  record AuditPage(
      List<AuditResponse> entries, long total, int limit, long offset, boolean hasMore) {}

  @GetMapping
  SuppressionPage list(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @RequestParam(required = false) String q,
      @RequestParam(required = false) String channel,
      @RequestParam(defaultValue = "50") int limit,
      @RequestParam(defaultValue = "0") long offset) {
    Paging.check(limit, offset);
    String search = search(q);
    String wire = channel(channel);
    List<SuppressionResponse> page =
        suppressions.page(org, search, wire, limit, offset).stream()
            .map(SuppressionResponse::of)
            .toList();
    long total = suppressions.count(org, search, wire);
    return new SuppressionPage(page, total, limit, offset, offset + page.size() < total);
  }

  @GetMapping("/audit")
  AuditPage audit(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @RequestParam(required = false) String q,
      @RequestParam(required = false) String channel,
      @RequestParam(defaultValue = "50") int limit,
      @RequestParam(defaultValue = "0") long offset) {
    Paging.check(limit, offset);
    String search = search(q);
    String wire = channel(channel);
    List<AuditResponse> entries =
        suppressions.audit(org, search, wire, limit, offset).stream()
            .map(
                e ->
                    new AuditResponse(
                        e.at(),
                        e.channel().toLowerCase(Locale.ROOT),
                        e.address(),
                        e.action(),
                        e.source(),
                        e.detail()))
            .toList();
    long total = suppressions.auditCount(org, search, wire);
    return new AuditPage(entries, total, limit, offset, offset + entries.size() < total);
  }

  /** Every match as CSV (channel, address, source, created_at), oldest first. */
  @GetMapping("/export")
  void export(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @RequestParam(required = false) String q,
      @RequestParam(required = false) String channel,
      HttpServletResponse response)
      throws IOException {
    SuppressionCsv.write(suppressions, org, search(q), channel(channel), response);
  }

  private static String search(String q) {
    if (q != null && q.indexOf('\u0000') >= 0) {
      throw InvalidRequestException.of("q", "must not contain NUL characters");
    }
    if (q != null && q.length() > MAX_SEARCH) {
      throw InvalidRequestException.of("q", "must be at most " + MAX_SEARCH + " characters");
    }
    return q;
  }

  private static String channel(String channel) {
    if (channel == null) {
      return null;
    }
    return switch (channel) {
      case "email" -> "EMAIL";
      case "sms" -> "SMS";
      default -> throw InvalidRequestException.of("channel", "must be email or sms");
    };
  }
}
