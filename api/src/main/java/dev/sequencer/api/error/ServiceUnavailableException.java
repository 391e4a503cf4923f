package dev.sequencer.api.error;

/** A service we depend on (Temporal) did not answer; nothing was changed, so a retry is safe. */
public class ServiceUnavailableException extends RuntimeException {
  public ServiceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
