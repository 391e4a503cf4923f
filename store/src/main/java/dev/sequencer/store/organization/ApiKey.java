package dev.sequencer.store.organization;

import java.time.Instant;

/** An organization's API key as listed: never its secret, which is stored only as a hash. */
public record ApiKey(
    String id,
    String organizationId,
    String name,
    Role role,
    Instant createdAt,
    Instant revokedAt) {}
