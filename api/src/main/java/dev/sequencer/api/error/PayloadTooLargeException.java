package dev.sequencer.api.error;

public class PayloadTooLargeException extends RuntimeException {
  public PayloadTooLargeException(long limit) {
    super("request body exceeds " + limit + " bytes");
  }
}
