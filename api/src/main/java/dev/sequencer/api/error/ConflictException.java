package dev.sequencer.api.error;

/**
 * The request is valid but not in the resource's current state (e.g. editing a running campaign).
 */
public class ConflictException extends RuntimeException {
  public ConflictException(String message) {
    super(message);
  }
}
