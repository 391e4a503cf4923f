package dev.sequencer.api.organization;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.auth.AuditRecorder;
import dev.sequencer.api.auth.KeyHolders;
import dev.sequencer.api.campaign.Ids;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.api.error.NotFoundException;
import dev.sequencer.store.organization.ApiKey;
import dev.sequencer.store.organization.ApiKeys;
import dev.sequencer.store.organization.IssuedKey;
import dev.sequencer.store.organization.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
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
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * An organization's keys, managed by its {@code admin} keys: created (the secret shown only in that
 * answer), listed without secrets, revoked.
 */
@RestController
@RequestMapping("/api/v1/keys")
class KeyController {

  private final ApiKeys keys;
  private final KeyHolders holders;

  KeyController(ApiKeys keys, KeyHolders holders) {
    this.keys = keys;
    this.holders = holders;
  }

  record NewKeyRequest(String name, String role) {}

  record NewKeyResponse(String keyId, String key, String name, String role, Instant createdAt) {}

  record KeyResponse(String keyId, String name, String role, Instant createdAt, Instant revokedAt) {
    static KeyResponse of(ApiKey key) {
      return new KeyResponse(
          key.id(), key.name(), key.role().wireName(), key.createdAt(), key.revokedAt());
    }
  }

  record KeyList(List<KeyResponse> keys) {}

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  ResponseEntity<NewKeyResponse> create(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @RequestBody NewKeyRequest body,
      HttpServletRequest request) {
    String name = Names.checked("name", body == null ? null : body.name());
    Role role =
        Role.ofWireName(body.role())
            .orElseThrow(
                () -> InvalidRequestException.of("role", "must be admin, operator or read_only"));
    IssuedKey issued = keys.create(org, name, role);
    request.setAttribute(AuditRecorder.TARGET, issued.key().id());
    return ResponseEntity.created(URI.create("/api/v1/keys/" + issued.key().id()))
        .body(
            new NewKeyResponse(
                issued.key().id(),
                issued.secret(),
                issued.key().name(),
                role.wireName(),
                issued.key().createdAt()));
  }

  @GetMapping
  KeyList list(@RequestAttribute(ApiKeyFilter.ORGANIZATION) String org) {
    return new KeyList(keys.list(org).stream().map(KeyResponse::of).toList());
  }

  @DeleteMapping("/{keyId}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void revoke(@RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String keyId) {
    if (!keys.revoke(org, Ids.checked("key_id", keyId))) {
      throw new NotFoundException("no key " + keyId);
    }
    holders.forget();
  }
}
