package dev.sequencer.workflows.lead;

/**
 * How a lead's sequence ended: the lead status it left, and why.
 *
 * @param position for a sequence that failed, the step that failed; null otherwise
 */
public record LeadOutcome(LeadEnding status, String reason, Integer position) {

  public LeadOutcome(LeadEnding status, String reason) {
    this(status, reason, null);
  }
}
