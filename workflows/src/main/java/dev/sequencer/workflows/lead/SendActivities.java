package dev.sequencer.workflows.lead;

import io.temporal.activity.ActivityInterface;

/** The side effects of a lead's sequence. */
@ActivityInterface
public interface SendActivities {

  /**
   * Re-checks consent, reserves daily quota, renders, sends and records one step. Idempotent by
   * (workflow id, step): a retry never sends a second message.
   */
  SendResult sendStep(SendRequest request);

  /** Records the end of the sequence on the lead (status, remaining steps, timeline). */
  void finishSequence(long leadPk, LeadOutcome outcome);
}
