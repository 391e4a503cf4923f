package dev.sequencer.store.signal;

/** A signal claimed for delivery; {@code attempts} counts this one. */
public record PendingSignal(
    long id, String workflowId, String signal, byte[] arguments, int attempts) {}
