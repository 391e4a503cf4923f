package dev.sequencer.api.webhook;

import dev.sequencer.store.webhook.WebhookDelivery;
import java.time.Instant;

/** One line of an endpoint's delivery log. */
record DeliveryView(
    String deliveryId,
    String eventId,
    String type,
    String status,
    int attempts,
    Integer responseStatus,
    String lastError,
    Instant createdAt,
    Instant lastAttemptAt,
    Instant nextAttemptAt) {

  static DeliveryView of(WebhookDelivery d) {
    return new DeliveryView(
        d.publicId(),
        d.eventId(),
        d.type(),
        d.status(),
        d.attempts(),
        d.responseStatus(),
        d.lastError(),
        d.createdAt(),
        d.lastAttemptAt(),
        WebhookDelivery.PENDING.equals(d.status()) ? d.nextAttemptAt() : null);
  }
}
