package dev.sequencer.api.webhook;

import dev.sequencer.store.webhook.WebhookEndpoint;
import java.time.Instant;
import java.util.List;

/**
 * An endpoint as the API shows it: never its secret. A disabled endpoint says why and since when.
 */
record WebhookView(
    String webhookId,
    String url,
    List<String> events,
    String status,
    Instant failingSince,
    Instant disabledAt,
    String disabledReason,
    Instant createdAt) {

  static WebhookView of(WebhookEndpoint e) {
    return new WebhookView(
        e.id(),
        e.url(),
        e.events(),
        e.status(),
        e.failingSince(),
        e.disabledAt(),
        e.disabledReason(),
        e.createdAt());
  }
}
