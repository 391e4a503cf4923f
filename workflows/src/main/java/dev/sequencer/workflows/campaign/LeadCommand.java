package dev.sequencer.workflows.campaign;

/** What a campaign tells all of its running leads. */
public record LeadCommand(Kind kind, String reason) {
  public enum Kind {
    PAUSE,
    RESUME,
    /** End the sequence as cancelled. */
    STOP
  }
}
