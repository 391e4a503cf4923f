package dev.sequencer.store.message;

public enum MessageStatus {
  /** Handed to the provider's client; the outcome is not recorded yet. */
  SENDING,
  SENT,
  DELIVERED,
  UNDELIVERED,
  FAILED;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
