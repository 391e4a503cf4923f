package dev.sequencer.api.error;

/**
 * Another request is changing the same campaign or lead right now. Refused at once rather than
 * queued, so that no request waits on another while it holds a database connection; a retry after a
 * moment goes through.
 */
public class ConcurrentChangeException extends ConflictException {
  public ConcurrentChangeException(String message) {
    super(message);
  }
}
