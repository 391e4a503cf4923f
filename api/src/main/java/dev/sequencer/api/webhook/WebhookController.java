package dev.sequencer.api.webhook;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.auth.AuditRecorder;
import dev.sequencer.api.campaign.Paging;
import dev.sequencer.api.error.ConflictException;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.api.error.NotFoundException;
import dev.sequencer.api.error.UnprocessableException;
import dev.sequencer.store.webhook.WebhookDeliveries;
import dev.sequencer.store.webhook.WebhookDelivery;
import dev.sequencer.store.webhook.WebhookEndpoint;
import dev.sequencer.store.webhook.WebhookEndpoints;
import dev.sequencer.store.webhook.WebhookEventTypes;
import dev.sequencer.store.webhook.WebhookTargets;
import dev.sequencer.workflows.webhook.WebhookWakeUp;
import io.temporal.client.WorkflowClient;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
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
 * The organization's webhook endpoints and their delivery logs. Events are signed as the Standard
 * Webhooks specification says, with the secret shown once, at registration.
 */
@RestController
@RequestMapping("/api/v1/webhooks")
class WebhookController {

  private static final Logger log = LoggerFactory.getLogger(WebhookController.class);

  static final int MAX_ENDPOINTS = 20;
  static final int MAX_URL = 2048;
  private static final Set<String> FIELDS = Set.of("url", "events");
  private static final Set<String> STATUSES =
      Set.of(WebhookDelivery.PENDING, WebhookDelivery.SUCCEEDED, WebhookDelivery.FAILED);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final WebhookEndpoints endpoints;
  private final WebhookDeliveries deliveries;
  private final WebhookTargets targets;
  private final WorkflowClient workflows;
  private final Clock clock;

  WebhookController(
      WebhookEndpoints endpoints,
      WebhookDeliveries deliveries,
      WebhookTargets targets,
      @Lazy WorkflowClient workflows,
      Clock clock) {
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.targets = targets;
    this.workflows = workflows;
    this.clock = clock;
  }

  record WebhookList(List<WebhookView> webhooks) {}

  record DeliveryPage(
      List<DeliveryView> deliveries, long total, int limit, long offset, boolean hasMore) {}

  @PostMapping
  ResponseEntity<WebhookCreated> register(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @RequestBody JsonNode body,
      HttpServletRequest request) {
    if (body == null || !body.isObject()) {
      throw InvalidRequestException.of("body", "must be a JSON object");
    }
    for (String field : body.propertyNames()) {
      if (!FIELDS.contains(field)) {
        throw InvalidRequestException.of(field, "is not a webhook field");
      }
    }
    String url = url(body.get("url"));
    List<String> events = events(body.get("events"));
    Optional<String> refused = targets.problemWith(url);
    if (refused.isPresent()) {
      throw UnprocessableException.of("url", refused.get());
    }
    if (endpoints.of(org).size() >= MAX_ENDPOINTS) {
      throw UnprocessableException.of(
          "url", "an organization has at most " + MAX_ENDPOINTS + " webhook endpoints");
    }
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
    WebhookEndpoint created = endpoints.create(org, url, events, secret);
    request.setAttribute(AuditRecorder.TARGET, created.id());
    return ResponseEntity.created(URI.create("/api/v1/webhooks/" + created.id()))
        .body(
            new WebhookCreated(
                created.id(),
                created.url(),
                created.events(),
                secret,
                created.status(),
                created.createdAt()));
  }

  @GetMapping
  WebhookList list(@RequestAttribute(ApiKeyFilter.ORGANIZATION) String org) {
    return new WebhookList(endpoints.of(org).stream().map(WebhookView::of).toList());
  }

  @GetMapping("/{webhookId}")
  WebhookView get(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String webhookId) {
    return WebhookView.of(find(org, webhookId));
  }

  /** Stops the endpoint's deliveries at once; what it had pending is dropped. */
  @DeleteMapping("/{webhookId}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String webhookId) {
    if (!endpoints.delete(org, find(org, webhookId).id())) {
      throw new NotFoundException("webhook " + webhookId + " not found");
    }
  }

  /** Turns a disabled endpoint on again; its pending deliveries get a fresh day of attempts. */
  @PostMapping("/{webhookId}/enable")
  WebhookView enable(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String webhookId) {
    WebhookEndpoint endpoint = find(org, webhookId);
    if (!endpoints.enable(org, endpoint.id(), clock.instant())) {
      throw new ConflictException("webhook " + webhookId + " is " + endpoint.status());
    }
    wake(endpoint.id());
    return WebhookView.of(find(org, webhookId));
  }

  @GetMapping("/{webhookId}/deliveries")
  DeliveryPage deliveries(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String webhookId,
      @RequestParam(required = false) String status,
      @RequestParam(defaultValue = "50") int limit,
      @RequestParam(defaultValue = "0") long offset) {
    Paging.check(limit, offset);
    if (status != null && !STATUSES.contains(status)) {
      throw InvalidRequestException.of("status", "must be pending, succeeded or failed");
    }
    WebhookEndpoint endpoint = find(org, webhookId);
    List<DeliveryView> page =
        deliveries.log(endpoint.id(), status, limit, offset).stream()
            .map(DeliveryView::of)
            .toList();
    long total = deliveries.count(endpoint.id(), status);
    return new DeliveryPage(page, total, limit, offset, offset + page.size() < total);
  }

  /** Queues a delivery again, due at once, with a fresh day of attempts. */
  @PostMapping("/{webhookId}/deliveries/{deliveryId}/retry")
  @ResponseStatus(HttpStatus.ACCEPTED)
  DeliveryView retry(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String webhookId,
      @PathVariable String deliveryId) {
    WebhookEndpoint endpoint = find(org, webhookId);
    long row = WebhookDelivery.rowOf(deliveryId);
    WebhookDelivery delivery =
        (row < 0 ? Optional.<WebhookDelivery>empty() : deliveries.find(endpoint.id(), row))
            .orElseThrow(() -> new NotFoundException("delivery " + deliveryId + " not found"));
    if (!deliveries.retry(endpoint.id(), delivery.id(), clock.instant())) {
      throw new ConflictException("delivery " + deliveryId + " is pending already");
    }
    if (endpoint.active()) {
      wake(endpoint.id());
    }
    return DeliveryView.of(deliveries.find(endpoint.id(), row).orElseThrow());
  }

  private WebhookEndpoint find(String org, String webhookId) {
    return endpoints
        .find(org, webhookId)
        .orElseThrow(() -> new NotFoundException("webhook " + webhookId + " not found"));
  }

  /** The endpoint's workflow picks the change up now; else its next check does, within a minute. */
  private void wake(String endpointId) {
    try {
      WebhookWakeUp.send(workflows, endpointId);
    } catch (RuntimeException e) {
      log.warn("webhook endpoint {} not woken now: {}", endpointId, e.getMessage());
    }
  }

  private static String url(JsonNode url) {
    if (url == null || url.isNull()) {
      throw InvalidRequestException.of("url", "is required");
    }
    if (!url.isString() || url.asString().isBlank()) {
      throw InvalidRequestException.of("url", "must be an absolute http or https URL");
    }
    String value = url.asString().strip();
    if (value.length() > MAX_URL) {
      throw InvalidRequestException.of("url", "must be at most " + MAX_URL + " characters");
    }
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      if (!uri.isAbsolute()
          || uri.getHost() == null
          || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
        throw InvalidRequestException.of("url", "must be an absolute http or https URL");
      }
    } catch (java.net.URISyntaxException e) {
      throw InvalidRequestException.of("url", "must be an absolute http or https URL");
    }
    return value;
  }

  private static List<String> events(JsonNode events) {
    if (events == null || events.isNull()) {
      return List.of(WebhookEventTypes.ALL);
    }
    if (!events.isArray() || events.isEmpty()) {
      throw InvalidRequestException.of(
          "events", "must be a non-empty array of event types, or [\"*\"] for all");
    }
    Set<String> types = new LinkedHashSet<>();
    for (int i = 0; i < events.size(); i++) {
      JsonNode type = events.get(i);
      if (!type.isString() || !WebhookEventTypes.isType(type.asString())) {
        throw InvalidRequestException.of(
            "events[" + i + "]",
            "must be \"*\" or one of " + String.join(", ", WebhookEventTypes.TYPES));
      }
      types.add(type.asString());
    }
    return types.contains(WebhookEventTypes.ALL)
        ? List.of(WebhookEventTypes.ALL)
        : new ArrayList<>(types);
  }
}
