package dev.sequencer.store.audience;

import java.time.Instant;

/** A saved audience of one organization. */
public record Audience(
    String id,
    String organizationId,
    String name,
    AudienceDefinition definition,
    Instant createdAt,
    Instant updatedAt) {}
