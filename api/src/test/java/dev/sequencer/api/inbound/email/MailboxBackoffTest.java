package dev.sequencer.api.inbound.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MailboxBackoffTest {

  private static final Instant T0 = Instant.parse("2027-01-04T09:00:00Z");

  private Instant now = T0;
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  @Test
  void aFailingMailboxIsTriedLessAndLessOftenAndReportedOnce() {
    MailboxBackoff backoff = new MailboxBackoff(clock);
    assertThat(backoff.due("ada@acme.test")).isTrue();

    assertThat(backoff.failed("ada@acme.test", "LOGIN failed"))
        .isEqualTo(MailboxBackoff.News.FAILING);
    // Waits 10 s, then 20, 40, 80 ... : by hand, the n-th failure waits 10 s × 2^(n-1).
    long[] waits = {10, 20, 40, 80, 160, 320, 640, 1280, 1800, 1800};
    for (int i = 0; i < waits.length; i++) {
      assertThat(backoff.nextTry("ada@acme.test")).isEqualTo(now.plusSeconds(waits[i]));
      now = now.plusSeconds(waits[i] - 1);
      assertThat(backoff.due("ada@acme.test")).isFalse();
      now = now.plusSeconds(1);
      assertThat(backoff.due("ada@acme.test")).isTrue();
      if (i + 1 < waits.length) {
        assertThat(backoff.failed("ada@acme.test", "LOGIN failed"))
            .isEqualTo(MailboxBackoff.News.NONE);
      }
    }
    assertThat(backoff.failures("ada@acme.test")).isEqualTo(10);
    // Another mailbox is not held back by this one.
    assertThat(backoff.due("grace@acme.test")).isTrue();
  }

  @Test
  void aNewErrorIsNewsAndSoIsTheRecovery() {
    MailboxBackoff backoff = new MailboxBackoff(clock);
    backoff.failed("ada@acme.test", "LOGIN failed");
    assertThat(backoff.failed("ada@acme.test", "connection refused"))
        .isEqualTo(MailboxBackoff.News.FAILING);
    assertThat(backoff.succeeded("ada@acme.test")).isEqualTo(MailboxBackoff.News.RECOVERED);
    assertThat(backoff.succeeded("ada@acme.test")).isEqualTo(MailboxBackoff.News.NONE);
    assertThat(backoff.due("ada@acme.test")).isTrue();
    assertThat(backoff.nextTry("ada@acme.test")).isNull();
    assertThat(Duration.between(T0, now)).isZero();
  }
}
