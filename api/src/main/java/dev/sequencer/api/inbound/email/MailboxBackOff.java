package dev.sequencer.api.inbound.email;

import dev.sequencer.workflows.mailbox.MailboxPollerInput;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The scheduled poller's memory of the mailboxes that fail, as the poller workflows keep it in
 * their state: a failing mailbox is read again only after the interval doubled for each failure in
 * a row (up to a cap), and its failure is reported when it starts and when its error changes, not
 * at every read.
 */
final class MailboxBackOff {

  private record Failing(int failures, String error, long retryAtNanos) {}

  private final Duration interval;
  private final Duration maxBackOff;
  private final LongSupplier nanos;
  private final Map<String, Failing> failing = new ConcurrentHashMap<>();

  MailboxBackOff(Duration interval, Duration maxBackOff, LongSupplier nanos) {
    this.interval = interval;
    this.maxBackOff = maxBackOff.compareTo(interval) < 0 ? interval : maxBackOff;
    this.nanos = nanos;
  }

  /** Whether the mailbox with this key is to be read now. */
  boolean due(String key) {
    Failing state = failing.get(key);
    return state == null || nanos.getAsLong() - state.retryAtNanos() >= 0;
  }

  /**
   * Records a failed read.
   *
   * @return whether to report it: the first failure in a row, or an error unlike the last one
   */
  boolean failed(String key, String error) {
    Failing before = failing.get(key);
    int failures = before == null ? 1 : before.failures() + 1;
    // The fixed delay between scheduled reads comes on top of this pause.
    Duration pause = MailboxPollerInput.pause(interval, maxBackOff, failures).minus(interval);
    failing.put(key, new Failing(failures, error, nanos.getAsLong() + pause.toNanos()));
    return before == null || !before.error().equals(error);
  }

  /**
   * Records a read that succeeded.
   *
   * @return how many reads in a row had failed before it
   */
  int succeeded(String key) {
    Failing before = failing.remove(key);
    return before == null ? 0 : before.failures();
  }
}
