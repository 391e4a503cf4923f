package dev.sequencer.content;

/** A string that is not a single plain email address; the message says why. */
public class InvalidEmailAddressException extends IllegalArgumentException {

  public InvalidEmailAddressException(String message) {
    super(message);
  }
}
