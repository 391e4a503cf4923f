package dev.sequencer.store.message;

public enum MessageStatus {
  /**
   * Committed before the hand-over to the provider; the outcome is not recorded yet. A retry of the
   * step resolves it: the same message again (email) or a look-up at the provider (SMS).
   */
  SENDING,
  SENT,
  DELIVERED,
  UNDELIVERED,
  FAILED,
  /**
   * An attempt whose hand-over may or may not have reached the provider, never resolved because the
   * lead may no longer be messaged (opted out, stopped) before the retry came.
   */
  UNCONFIRMED;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
