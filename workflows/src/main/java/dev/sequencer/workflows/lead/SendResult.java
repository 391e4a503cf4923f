package dev.sequencer.workflows.lead;

import java.time.Instant;

/**
 * What became of a send.
 *
 * @param retryAt for {@link SendOutcome#DEFERRED}, the next allowed instant to try again
 * @param reason why the step was deferred, skipped or the sequence stopped
 */
public record SendResult(
    SendOutcome outcome, Instant sentAt, Instant retryAt, String reason, String messageId) {

  public static SendResult sent(Instant at, String messageId) {
    return new SendResult(SendOutcome.SENT, at, null, null, messageId);
  }

  public static SendResult deferred(Instant retryAt, String reason) {
    return new SendResult(SendOutcome.DEFERRED, null, retryAt, reason, null);
  }

  public static SendResult paused() {
    return new SendResult(SendOutcome.PAUSED, null, null, "paused", null);
  }

  /** The lead may no longer be messaged; the reason is the ending's wire name. */
  public static SendResult stopped(LeadEnding ending) {
    return new SendResult(SendOutcome.STOPPED, null, null, ending.wireName(), null);
  }

  public static SendResult skipped(String reason) {
    return new SendResult(SendOutcome.SKIPPED, null, null, reason, null);
  }

  public static SendResult failed(String reason) {
    return new SendResult(SendOutcome.FAILED, null, null, reason, null);
  }
}
