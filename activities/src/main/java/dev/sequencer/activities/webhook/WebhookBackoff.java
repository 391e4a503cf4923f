package dev.sequencer.activities.webhook;

import java.time.Duration;
import java.time.Instant;

/**
 * When a failed delivery is tried again: after 5 s, doubling with each failure up to an hour, with
 * up to 20 % of jitter (fixed per delivery and attempt, so a replayed round computes the same), for
 * a day from its first attempt; the last attempt comes at the end of that day.
 */
final class WebhookBackoff {

  static final Duration FIRST = Duration.ofSeconds(5);
  static final Duration LONGEST = Duration.ofHours(1);
  static final Duration GIVE_UP_AFTER = Duration.ofHours(24);

  private WebhookBackoff() {}

  /**
   * @param failures failed attempts so far, this one included
   * @return the next attempt's time, or null when the delivery is given up
   */
  static Instant next(long deliveryId, int failures, Instant firstAttempt, Instant now) {
    Instant end = firstAttempt.plus(GIVE_UP_AFTER);
    if (!now.isBefore(end)) {
      return null;
    }
    long base = Math.min(FIRST.toMillis() << Math.min(failures - 1, 20), LONGEST.toMillis());
    long spread = Math.floorMod(Long.hashCode(deliveryId * 31 + failures), 41) - 20; // -20..20 %
    Instant next = now.plusMillis(base + base * spread / 100);
    return next.isAfter(end) ? end : next;
  }
}
