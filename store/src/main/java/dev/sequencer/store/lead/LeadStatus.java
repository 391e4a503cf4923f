package dev.sequencer.store.lead;

import java.util.EnumSet;
import java.util.Set;

public enum LeadStatus {
  PENDING,
  HOLDOUT,
  SUPPRESSED,
  ACTIVE,
  PAUSED,
  REPLIED,
  OPTED_OUT,
  BOUNCED,
  FAILED,
  COMPLETED,
  CANCELLED;

  private static final Set<LeadStatus> FINAL =
      EnumSet.of(HOLDOUT, SUPPRESSED, REPLIED, OPTED_OUT, BOUNCED, FAILED, COMPLETED, CANCELLED);

  public boolean isFinal() {
    return FINAL.contains(this);
  }

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
