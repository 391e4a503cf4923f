package dev.sequencer.workflows.lead;

/** Sends one step to one lead. {@code workflowId} and {@code position} form the idempotency key. */
public record SendRequest(String workflowId, long leadPk, int position, String stepType) {}
