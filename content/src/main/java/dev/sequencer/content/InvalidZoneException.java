package dev.sequencer.content;

/** A string that is not an accepted IANA time zone id; the message says why. */
public class InvalidZoneException extends IllegalArgumentException {

  public InvalidZoneException(String message) {
    super(message);
  }
}
