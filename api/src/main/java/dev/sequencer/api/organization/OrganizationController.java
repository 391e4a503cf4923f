package dev.sequencer.api.organization;

import dev.sequencer.api.auth.AuditRecorder;
import dev.sequencer.api.auth.Permission;
import dev.sequencer.api.auth.Requires;
import dev.sequencer.store.organization.Organizations;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Organizations are made by the platform admin key, each with a first {@code admin} key. */
@RestController
class OrganizationController {

  private final Organizations organizations;

  OrganizationController(Organizations organizations) {
    this.organizations = organizations;
  }

  record NewOrganizationRequest(String name) {}

  record FirstKey(String keyId, String key, String role) {}

  record NewOrganizationResponse(String organizationId, String name, FirstKey apiKey) {}

  @PostMapping("/api/v1/organizations")
  @Requires(Permission.PLATFORM)
  @ResponseStatus(HttpStatus.CREATED)
  ResponseEntity<NewOrganizationResponse> create(
      @RequestBody NewOrganizationRequest body, HttpServletRequest request) {
    String name = Names.checked("name", body == null ? null : body.name());
    Organizations.NewOrganization created = organizations.create(name);
    request.setAttribute(AuditRecorder.ORGANIZATION, created.id());
    request.setAttribute(AuditRecorder.TARGET, created.id());
    return ResponseEntity.created(URI.create("/api/v1/organizations/" + created.id()))
        .body(
            new NewOrganizationResponse(
                created.id(),
                created.name(),
                new FirstKey(
                    created.adminKey().key().id(),
                    created.adminKey().secret(),
                    created.adminKey().key().role().wireName())));
  }
}
