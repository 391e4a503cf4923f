package dev.sequencer.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sequencer.analysis.WinnerDecision.Evaluation;
import dev.sequencer.analysis.WinnerDecision.Outcome;
import dev.sequencer.analysis.metrics.CampaignMetrics;
import dev.sequencer.analysis.metrics.Counts;
import dev.sequencer.analysis.metrics.HoldoutCounts;
import dev.sequencer.store.campaign.AutoWinner;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WinnerDecisionTest {

  private static VariantOutcomes v(String name, long messaged, long successes, long optedOut) {
    return new VariantOutcomes(name, messaged, successes, optedOut);
  }

  @Test
  void theSignificantlyBetterVariantWins() {
    Evaluation e =
        WinnerDecision.evaluate(
            "reply_rate", 0.95, 100, List.of(v("A", 100, 20, 1), v("B", 100, 35, 1)));
    assertThat(e.outcome()).isEqualTo(Outcome.WINNER);
    assertThat(e.winner()).isEqualTo("B");
    assertThat(e.test().statistic()).isCloseTo(5.642633228840125, within(1e-9));
    assertThat(e.test().pValue()).isCloseTo(0.01752886126037274, within(1e-9));
    assertThat(e.minSampleReached()).isTrue();
    assertThat(e.significant()).isTrue();
  }

  @Test
  void noWinnerBeforeEveryVariantHasTheMinimumSample() {
    Evaluation e =
        WinnerDecision.evaluate(
            "reply_rate", 0.95, 101, List.of(v("A", 100, 20, 0), v("B", 150, 50, 0)));
    assertThat(e.outcome()).isEqualTo(Outcome.MIN_SAMPLE_NOT_REACHED);
    assertThat(e.minSampleReached()).isFalse();
    assertThat(e.winner()).isNull();
    assertThat(e.leader()).isEqualTo("B");
  }

  @Test
  void noWinnerWithoutSignificanceAtTheConfiguredConfidence() {
    // p = 0.0175: significant at 95 %, not at 99 %.
    Evaluation e =
        WinnerDecision.evaluate(
            "reply_rate", 0.99, 100, List.of(v("A", 100, 20, 0), v("B", 100, 35, 0)));
    assertThat(e.outcome()).isEqualTo(Outcome.NOT_SIGNIFICANT);
    assertThat(e.winner()).isNull();
    // Three variants with p = 0.0506.
    Evaluation three =
        WinnerDecision.evaluate(
            "reply_rate",
            0.95,
            100,
            List.of(v("A", 100, 20, 0), v("B", 100, 35, 0), v("C", 100, 25, 0)));
    assertThat(three.outcome()).isEqualTo(Outcome.NOT_SIGNIFICANT);
    assertThat(three.test().degreesOfFreedom()).isEqualTo(2);
  }

  @Test
  void theGuardrailKeepsAVariantWhoseRepliesAreOptOutsFromWinning() {
    // B "wins" on replies, but 30 of its 35 replies were "remove me": 30 % opt-outs against 1 %.
    Evaluation e =
        WinnerDecision.evaluate(
            "reply_rate", 0.95, 100, List.of(v("A", 100, 20, 1), v("B", 100, 35, 30)));
    assertThat(e.outcome()).isEqualTo(Outcome.GUARDRAIL);
    assertThat(e.winner()).isNull();
    assertThat(e.leader()).isEqualTo("B");
    assertThat(e.guardrailAgainst()).isEqualTo("A");
    // [[30, 70], [1, 99]]: expected 15.5 / 84.5 per row.
    double expected = 2 * Math.pow(14.5, 2) * (1 / 15.5 + 1 / 84.5);
    assertThat(e.guardrailTest().statistic()).isCloseTo(expected, within(1e-9));
    assertThat(e.guardrailTest().pValue()).isLessThan(0.05);
  }

  @Test
  void aHigherButNotSignificantlyHigherOptOutRateDoesNotBlock() {
    // 3 % against 1 % opt-outs: [[3, 97], [1, 99]] has p ≈ 0.31.
    Evaluation e =
        WinnerDecision.evaluate(
            "reply_rate", 0.95, 100, List.of(v("A", 100, 20, 1), v("B", 100, 35, 3)));
    assertThat(e.outcome()).isEqualTo(Outcome.WINNER);
    assertThat(e.winner()).isEqualTo("B");
    // And the loser's opt-outs never matter: A's 30 % does not stop B.
    Evaluation loserOptsOut =
        WinnerDecision.evaluate(
            "reply_rate", 0.95, 100, List.of(v("A", 100, 20, 30), v("B", 100, 35, 1)));
    assertThat(loserOptsOut.winner()).isEqualTo("B");
  }

  @Test
  void aTieAtTheTopDecidesNothing() {
    Evaluation e =
        WinnerDecision.evaluate(
            "reply_rate",
            0.95,
            100,
            List.of(v("A", 100, 35, 0), v("B", 200, 70, 0), v("C", 100, 5, 0)));
    assertThat(e.significant()).isTrue();
    assertThat(e.outcome()).isEqualTo(Outcome.TIE);
    assertThat(e.winner()).isNull();
  }

  @Test
  void oneVariantIsNoTest() {
    Evaluation e = WinnerDecision.evaluate("reply_rate", 0.95, 100, List.of(v("A", 500, 50, 0)));
    assertThat(e.outcome()).isEqualTo(Outcome.NO_TEST);
    assertThat(e.test().pValue()).isEqualTo(1.0);
  }

  @Test
  void decidesOnTheConfiguredMetricFromCampaignMetrics() {
    Map<String, Counts> variants = new LinkedHashMap<>();
    // Same replies, but B's are positive far more often, and B converts less.
    variants.put("A", counts(100, 30, 10, 20));
    variants.put("B", counts(100, 30, 28, 10));
    CampaignMetrics metrics =
        new CampaignMetrics(
            "cmp_x",
            variants.get("A").plus(variants.get("B")),
            new HoldoutCounts(0, 0),
            variants,
            Map.of());
    Evaluation replies =
        WinnerDecision.decide(metrics, new AutoWinner(true, "reply_rate", 0.95, 100));
    assertThat(replies.outcome()).isEqualTo(Outcome.NOT_SIGNIFICANT);
    assertThat(replies.test().statistic()).isCloseTo(0.0, within(1e-12));
    Evaluation positive =
        WinnerDecision.decide(metrics, new AutoWinner(true, "positive_reply_rate", 0.95, 100));
    assertThat(positive.winner()).isEqualTo("B");
    Evaluation conversions =
        WinnerDecision.decide(metrics, new AutoWinner(true, "conversion_rate", 0.95, 100));
    // [[20, 80], [10, 90]]: expected 15 / 85 per row, χ² = 2 × 25 × (1/15 + 1/85) = 3.92, p 0.048.
    assertThat(conversions.test().statistic())
        .isCloseTo(2 * 25 * (1.0 / 15 + 1.0 / 85), within(1e-9));
    assertThat(conversions.winner()).isEqualTo("A");
  }

  private static Counts counts(long messaged, long replied, long positive, long converted) {
    return new Counts(
        messaged,
        0,
        messaged,
        messaged,
        0,
        0,
        0,
        replied,
        positive,
        0,
        0,
        0,
        converted,
        BigDecimal.ZERO);
  }
}
