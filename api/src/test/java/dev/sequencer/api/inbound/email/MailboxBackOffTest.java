package dev.sequencer.api.inbound.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The scheduled poller's back-off, on a hand-moved clock: with reads every 5 s and a cap of 60 s, a
 * mailbox failing in a row waits 10, 20, 40, then 60 s between reads (each pause less the 5 s the
 * scheduler waits anyway), is reported on its first failure and when its error changes, and is read
 * at every interval again once a read succeeds.
 */
class MailboxBackOffTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final MailboxBackOff backOff =
      new MailboxBackOff(Duration.ofSeconds(5), Duration.ofSeconds(60), now::get);

  @Test
  void aFailingMailboxIsReadLessOftenAndReportedOnce() {
    assertThat(backOff.due("m")).isTrue();

    assertThat(backOff.failed("m", "LOGIN failed")).isTrue();
    assertNotDueUntil(Duration.ofSeconds(10 - 5));
    assertThat(backOff.failed("m", "LOGIN failed")).isFalse();
    assertNotDueUntil(Duration.ofSeconds(20 - 5));
    assertThat(backOff.failed("m", "LOGIN failed")).isFalse();
    assertNotDueUntil(Duration.ofSeconds(40 - 5));
    assertThat(backOff.failed("m", "LOGIN failed")).isFalse();
    assertNotDueUntil(Duration.ofSeconds(60 - 5));
    assertThat(backOff.failed("m", "LOGIN failed")).isFalse();
    assertNotDueUntil(Duration.ofSeconds(60 - 5));

    // Another error is news.
    assertThat(backOff.failed("m", "connection refused")).isTrue();
    advance(Duration.ofSeconds(55));
    assertThat(backOff.succeeded("m")).isEqualTo(6);
    assertThat(backOff.due("m")).isTrue();
    assertThat(backOff.succeeded("m")).isZero();
  }

  @Test
  void oneFailingMailboxDoesNotHoldBackAnother() {
    backOff.failed("broken", "LOGIN failed");
    assertThat(backOff.due("broken")).isFalse();
    assertThat(backOff.due("healthy")).isTrue();
  }

  private void assertNotDueUntil(Duration pause) {
    advance(pause.minusMillis(1));
    assertThat(backOff.due("m")).isFalse();
    advance(Duration.ofMillis(1));
    assertThat(backOff.due("m")).isTrue();
  }

  private void advance(Duration by) {
    now.addAndGet(by.toNanos());
  }
}
