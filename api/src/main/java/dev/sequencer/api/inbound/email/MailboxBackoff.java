package dev.sequencer.api.inbound.email;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * When to try a mailbox that could not be read again, and whether its failure is news. A mailbox
 * that keeps failing (a wrong password, a sender whose mailbox does not exist) is tried less and
 * less often — twice the wait after each failure, up to {@link #MAX_WAIT} — and reported once when
 * it starts failing, again when its error changes, and once when it is readable again, rather than
 * at every poll.
 */
final class MailboxBackoff {

  static final Duration FIRST_WAIT = Duration.ofSeconds(10);
  static final Duration MAX_WAIT = Duration.ofMinutes(30);

  /** What a failure or success means for the log. */
  enum News {
    /** Nothing to report: the mailbox fails as it failed before, or it was fine and still is. */
    NONE,
    /** The mailbox started failing, or fails differently now. */
    FAILING,
    /** The mailbox is readable again after failing. */
    RECOVERED
  }

  private record Failing(int failures, String error, Instant nextTry) {}

  private final Clock clock;
  private final Map<String, Failing> failing = new HashMap<>();

  MailboxBackoff(Clock clock) {
    this.clock = clock;
  }

  /** Whether the mailbox is due for a read now. */
  synchronized boolean due(String mailbox) {
    Failing state = failing.get(mailbox);
    return state == null || !clock.instant().isBefore(state.nextTry());
  }

  synchronized News failed(String mailbox, String error) {
    Failing before = failing.get(mailbox);
    int failures = before == null ? 1 : before.failures() + 1;
    Duration wait = FIRST_WAIT.multipliedBy(1L << Math.min(failures - 1, 20));
    if (wait.compareTo(MAX_WAIT) > 0) {
      wait = MAX_WAIT;
    }
    failing.put(mailbox, new Failing(failures, error, clock.instant().plus(wait)));
    return before == null || !before.error().equals(error) ? News.FAILING : News.NONE;
  }

  synchronized News succeeded(String mailbox) {
    return failing.remove(mailbox) == null ? News.NONE : News.RECOVERED;
  }

  /** How many times in a row the mailbox has failed. */
  synchronized int failures(String mailbox) {
    Failing state = failing.get(mailbox);
    return state == null ? 0 : state.failures();
  }

  /** When the mailbox is tried next; null when it is not failing. */
  synchronized Instant nextTry(String mailbox) {
    Failing state = failing.get(mailbox);
    return state == null ? null : state.nextTry();
  }
}
