package dev.sequencer.api.organization;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.auth.Permission;
import dev.sequencer.api.auth.Requires;
import dev.sequencer.api.campaign.Paging;
import dev.sequencer.store.organization.AuditLog;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Who did what in the organization: every mutating call, newest first ({@code admin} only). */
@RestController
class AuditController {

  private final AuditLog auditLog;

  AuditController(AuditLog auditLog) {
    this.auditLog = auditLog;
  }

  record EntryResponse(
      Instant at, String keyId, String method, String path, int status, String target) {}

  record AuditPage(
      List<EntryResponse> entries, long total, int limit, long offset, boolean hasMore) {}

  @GetMapping("/api/v1/audit")
  @Requires(Permission.MANAGE)
  AuditPage audit(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @RequestParam(defaultValue = "50") int limit,
      @RequestParam(defaultValue = "0") long offset) {
    Paging.check(limit, offset);
    List<EntryResponse> entries =
        auditLog.page(org, limit, offset).stream()
            .map(
                e ->
                    new EntryResponse(
                        e.at(), e.keyId(), e.method(), e.path(), e.status(), e.target()))
            .toList();
    long total = auditLog.count(org);
    return new AuditPage(entries, total, limit, offset, offset + entries.size() < total);
  }
}
