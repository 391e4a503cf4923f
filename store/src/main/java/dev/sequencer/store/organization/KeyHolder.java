package dev.sequencer.store.organization;

/** Who a valid, unrevoked key belongs to and what it may do. */
public record KeyHolder(String keyId, String organizationId, Role role) {}
