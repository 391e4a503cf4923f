package dev.sequencer.store.webhook;

import java.time.Instant;

/**
 * A delivery whose next attempt is due: the oldest pending one of its ordering key.
 *
 * @param body the event as it is sent, byte for byte the text that is signed
 */
public record DueDelivery(
    long id, String eventId, String body, int attempts, Instant firstAttemptAt) {}
