package dev.sequencer.store.campaign;

public enum Channel {
  EMAIL,
  SMS;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
