package dev.sequencer.api.error;

/** One invalid field of a request, named by its JSON path (e.g. {@code steps[1].day}). */
public record FieldError(String field, String message) {}
