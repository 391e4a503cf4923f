package dev.sequencer.api.webhook;

import java.time.Instant;
import java.util.List;

/** The answer to a registration: the only place the signing secret is ever shown. */
record WebhookCreated(
    String webhookId,
    String url,
    List<String> events,
    String secret,
    String status,
    Instant createdAt) {}
