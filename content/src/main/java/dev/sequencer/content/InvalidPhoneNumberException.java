package dev.sequencer.content;

/** A phone number that cannot be parsed or is not a valid number; the message says why. */
public class InvalidPhoneNumberException extends IllegalArgumentException {

  public InvalidPhoneNumberException(String message) {
    super(message);
  }
}
