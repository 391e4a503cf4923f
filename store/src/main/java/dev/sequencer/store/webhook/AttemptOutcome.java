package dev.sequencer.store.webhook;

import java.time.Instant;

/**
 * What one attempt of a delivery came to, and what follows from it.
 *
 * @param status {@link WebhookDelivery#SUCCEEDED}, {@link WebhookDelivery#FAILED} (given up) or
 *     {@link WebhookDelivery#PENDING} (tried again at {@code nextAttemptAt})
 * @param responseStatus the endpoint's HTTP status, null when none came (timeout, refused)
 */
public record AttemptOutcome(
    long deliveryId, String status, Integer responseStatus, String error, Instant nextAttemptAt) {}
