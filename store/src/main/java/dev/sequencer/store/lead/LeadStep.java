package dev.sequencer.store.lead;

import java.time.Instant;

/** The plan and outcome of one step of a lead's sequence. */
public record LeadStep(
    int position,
    String type,
    String status,
    Instant scheduledAt,
    Instant sentAt,
    String reason,
    String messageId) {}
