package dev.sequencer.store.sender;

/** Whether a sender sends: a paused sender's leads wait until a person resumes it. */
public enum SenderStatus {
  ACTIVE,
  PAUSED;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
