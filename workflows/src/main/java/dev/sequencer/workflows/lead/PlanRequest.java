package dev.sequencer.workflows.lead;

import java.time.Instant;

/**
 * Asks for the plan of a lead's steps from {@code fromPosition} on.
 *
 * @param anchor when {@code fromPosition} is 0, the sequence start; otherwise the instant the step
 *     before {@code fromPosition} was sent
 * @param anchorDay the business-day offset of the step sent at {@code anchor} (0 for the start)
 * @param notBefore after a pause, the first step planned may not come before this instant; null
 *     otherwise
 * @param reason why the first planned step moved (e.g. {@code paused}), or null
 * @param chained whether each step keeps its gap to the step before it (after a pause) rather than
 *     to the anchor
 */
public record PlanRequest(
    long leadPk,
    int fromPosition,
    Instant anchor,
    int anchorDay,
    Instant notBefore,
    String reason,
    boolean chained) {

  public static PlanRequest fromStart(long leadPk, Instant sequenceStart) {
    return new PlanRequest(leadPk, 0, sequenceStart, 0, null, null, false);
  }
}
