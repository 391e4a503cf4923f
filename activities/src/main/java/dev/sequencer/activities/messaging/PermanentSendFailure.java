package dev.sequencer.activities.messaging;

/** The provider refused the message for good (invalid recipient, rejection): do not retry. */
public class PermanentSendFailure extends RuntimeException {

  private final String code;

  public PermanentSendFailure(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
