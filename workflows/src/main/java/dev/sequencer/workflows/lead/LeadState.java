package dev.sequencer.workflows.lead;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a running lead's workflow is, as its {@code state} query tells it. */
public enum LeadState {
  /** Waiting for its next step, or sending it. */
  ACTIVE,
  /** Paused by a signal or by the store: waits for a resume. */
  PAUSED,
  /** Away until the return the reply gave: its steps were planned from then. */
  OUT_OF_OFFICE,
  /** The sequence has ended; the state's {@code ending} says how. */
  ENDED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static LeadState of(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
