package dev.sequencer.workflows.campaign;

import java.time.Instant;

/**
 * What a campaign tells all of its running leads.
 *
 * @param at for {@link Kind#RESCHEDULE}, the new start; null otherwise
 */
public record LeadCommand(Kind kind, String reason, Instant at) {

  public LeadCommand(Kind kind, String reason) {
    this(kind, reason, null);
  }

  public enum Kind {
    PAUSE,
    RESUME,
    /** End the sequence as cancelled. */
    STOP,
    /** The campaign's start moved. */
    RESCHEDULE
  }
}
