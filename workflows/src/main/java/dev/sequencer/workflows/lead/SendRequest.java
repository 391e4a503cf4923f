package dev.sequencer.workflows.lead;

import java.time.Instant;

/**
 * Sends one step to one lead. {@code workflowId} and {@code position} form the idempotency key.
 *
 * @param workflowTime the workflow's clock when it asked; the activity never takes "now" to be
 *     earlier (which keeps time-skipping tests and production on one notion of time)
 */
public record SendRequest(
    String workflowId, long leadPk, int position, String stepType, Instant workflowTime) {}
