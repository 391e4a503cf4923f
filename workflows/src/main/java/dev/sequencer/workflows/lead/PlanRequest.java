package dev.sequencer.workflows.lead;

import java.time.Instant;

/**
 * Asks for the plan of a lead's steps from {@code fromPosition} on.
 *
 * @param anchor when {@code fromPosition} is 0, the sequence start; otherwise the instant the step
 *     before {@code fromPosition} was sent, from which later steps keep their business-day gaps
 * @param anchorDay the business-day offset of the step sent at {@code anchor} (0 for the start)
 */
public record PlanRequest(long leadPk, int fromPosition, java.time.Instant anchor, int anchorDay) {
  public static PlanRequest fromStart(long leadPk, Instant sequenceStart) {
    return new PlanRequest(leadPk, 0, sequenceStart, 0);
  }
}
