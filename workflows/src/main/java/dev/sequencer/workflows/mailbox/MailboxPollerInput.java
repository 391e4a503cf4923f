package dev.sequencer.workflows.mailbox;

import java.time.Duration;

/**
 * A mailbox poller's settings and the state it carries over a continue-as-new.
 *
 * @param mailbox the mailbox's key ({@code host/user}), which its activity resolves
 * @param interval the pause between two reads that succeed
 * @param maxBackOff the longest pause after reads that fail (doubling from the interval)
 * @param failures the reads that failed in a row
 * @param lastError the error of the last failed read, null after one that succeeded
 */
public record MailboxPollerInput(
    String mailbox, Duration interval, Duration maxBackOff, int failures, String lastError) {

  /** The pause after {@code failures} failed reads in a row: the interval, doubled for each. */
  public Duration pauseAfter(int failures) {
    return pause(interval, maxBackOff, failures);
  }

  /** The interval, doubled for each failure in a row, up to the back-off's cap. */
  public static Duration pause(Duration interval, Duration maxBackOff, int failures) {
    Duration pause = interval;
    for (int i = 0; i < failures && pause.compareTo(maxBackOff) < 0; i++) {
      pause = pause.multipliedBy(2);
    }
    return pause.compareTo(maxBackOff) > 0 ? maxBackOff : pause;
  }

  public MailboxPollerInput carry(int failures, String lastError) {
    return new MailboxPollerInput(mailbox, interval, maxBackOff, failures, lastError);
  }
}
