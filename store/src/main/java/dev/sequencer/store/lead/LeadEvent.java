package dev.sequencer.store.lead;

import java.time.Instant;

/** One entry of a lead's timeline. */
public record LeadEvent(Instant at, String event, String step, String detail) {}
