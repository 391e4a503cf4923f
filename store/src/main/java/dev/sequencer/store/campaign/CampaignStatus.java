package dev.sequencer.store.campaign;

public enum CampaignStatus {
  DRAFT,
  SCHEDULED,
  RUNNING,
  PAUSED,
  COMPLETED,
  CANCELLED;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
