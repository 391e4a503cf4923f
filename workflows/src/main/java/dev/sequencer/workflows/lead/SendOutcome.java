package dev.sequencer.workflows.lead;

public enum SendOutcome {
  SENT,
  /** Not now (daily limit, frequency cap): try again at the result's retry instant. */
  DEFERRED,
  /** The lead or its campaign is paused: wait for a resume, then try again. */
  PAUSED,
  /** The lead may no longer be messaged (opted out, replied, bounced, cancelled). */
  STOPPED,
  /** A permanent failure for this step (invalid address, provider rejection). */
  FAILED,
  /**
   * This step cannot reach the lead on any of its channels (no address, or it bounced); the
   * sequence goes on with the next step. Only campaigns whose steps mix channels skip a step.
   */
  SKIPPED
}
