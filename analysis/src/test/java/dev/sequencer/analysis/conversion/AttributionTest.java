package dev.sequencer.analysis.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AttributionTest {

  private static final Instant SENT = Instant.parse("2026-03-02T09:00:00Z");
  private static final Attribution.LastMessage PROOF = new Attribution.LastMessage("proof", SENT);

  @Test
  void countsWithinTheWindowAfterTheLastMessageBoundsIncluded() {
    Attribution sameInstant = Attribution.of(SENT, 7, PROOF, null);
    assertThat(sameInstant.attributed()).isTrue();
    Attribution lastSecond = Attribution.of(SENT.plus(Duration.ofDays(7)), 7, PROOF, null);
    assertThat(lastSecond.attributed()).isTrue();
    assertThat(lastSecond.basis()).isEqualTo("message");
    assertThat(lastSecond.step()).isEqualTo("proof");
    assertThat(lastSecond.basisAt()).isEqualTo(SENT);
    assertThat(lastSecond.reason()).isEqualTo("within 7 days after the last message (proof)");
    Attribution late = Attribution.of(SENT.plus(Duration.ofDays(7)).plusMillis(1), 7, PROOF, null);
    assertThat(late.attributed()).isFalse();
    assertThat(late.reason()).isEqualTo("more than 7 days after the last message (proof)");
  }

  @Test
  void theWindowIsTheCampaigns() {
    assertThat(Attribution.of(SENT.plus(Duration.ofDays(2)), 1, PROOF, null).attributed())
        .isFalse();
    assertThat(Attribution.of(SENT.plus(Duration.ofDays(2)), 30, PROOF, null).attributed())
        .isTrue();
  }

  @Test
  void withoutAMessageBeforeItNothingIsAttributed() {
    Attribution none = Attribution.of(SENT, 7, null, null);
    assertThat(none.attributed()).isFalse();
    assertThat(none.basis()).isNull();
    assertThat(none.reason()).isEqualTo("no message was sent to the lead before it");
  }

  @Test
  void holdoutLeadsCountFromTheirEnrolment() {
    Instant enrolled = SENT;
    Attribution within = Attribution.of(enrolled.plus(Duration.ofDays(3)), 7, null, enrolled);
    assertThat(within.attributed()).isTrue();
    assertThat(within.basis()).isEqualTo("holdout");
    assertThat(within.reason())
        .isEqualTo("within 7 days after the lead was enrolled in the holdout");
    assertThat(Attribution.of(enrolled.plus(Duration.ofDays(8)), 7, null, enrolled).attributed())
        .isFalse();
    Attribution before = Attribution.of(enrolled.minusSeconds(1), 7, null, enrolled);
    assertThat(before.attributed()).isFalse();
    assertThat(before.reason()).isEqualTo("occurred before the lead was enrolled in the holdout");
  }
}
