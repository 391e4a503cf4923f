package dev.sequencer.workflows.lead;

import java.time.Instant;

/**
 * One step of a lead's plan: when it is due, or, once {@code status} is {@code sent}, when it went
 * out.
 *
 * @param reason why the step was moved from where it would otherwise be, or null
 */
public record PlannedStep(
    int position, String type, int day, Instant scheduledAt, String status, String reason) {}
