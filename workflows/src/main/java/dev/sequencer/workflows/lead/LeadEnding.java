package dev.sequencer.workflows.lead;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a lead's sequence ends: the final lead status it leaves in the store. In workflow payloads
 * (results, the {@code stop} signal, activity arguments) it is the status's wire name, {@code
 * opted_out}, as histories recorded before this type hold it.
 */
public enum LeadEnding {
  COMPLETED,
  /** A send whose retries ran out, a permanent failure, or a plan that could not be made. */
  FAILED,
  REPLIED,
  OPTED_OUT,
  BOUNCED,
  CANCELLED,
  /** Found suppressed or held out when a send checked; it never got a message. */
  SUPPRESSED,
  HOLDOUT;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The ending of a wire name or enum name ({@code opted_out}, {@code OPTED_OUT}). */
  @JsonCreator
  public static LeadEnding of(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
