package dev.sequencer.store.campaign;

/** The three messages of a sequence, in the order they are sent. */
public enum StepType {
  HOOK,
  PROOF,
  FOMO;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
