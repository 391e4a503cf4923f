package dev.sequencer.workflows.webhook;

/**
 * What one round of an endpoint's deliveries came to.
 *
 * @param attempted attempts made this round
 * @param more whether more deliveries were already due when the round ended
 * @param nextDueAtMillis when the next pending delivery falls due, or null when none is pending
 * @param closed the endpoint is disabled or deleted: nothing more is delivered to it
 */
public record DeliveryRound(int attempted, boolean more, Long nextDueAtMillis, boolean closed) {}
