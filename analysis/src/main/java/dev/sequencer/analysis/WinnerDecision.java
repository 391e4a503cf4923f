package dev.sequencer.analysis;

import dev.sequencer.analysis.metrics.CampaignMetrics;
import dev.sequencer.analysis.metrics.Counts;
import dev.sequencer.analysis.stats.ChiSquare;
import dev.sequencer.store.campaign.AutoWinner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The auto-winner rule, as pure code. A variant wins when
 *
 * <ol>
 *   <li>the campaign has at least two variants and every one has {@code min_sample} messaged leads;
 *   <li>Pearson's chi-square test of independence on variants × (success, no success) of messaged
 *       leads is significant: p &lt; 1 − {@code confidence} (success: a reply, a positive reply or
 *       a conversion, after the configured metric);
 *   <li>it has the highest rate of the metric, alone (a tie at the top decides nothing);
 *   <li>and its opt-out rate is not significantly higher than any other variant's: a 2×2 chi-square
 *       test on (opted out, not) at the same confidence, counted against it only when its own
 *       opt-out rate is the higher one. So a variant whose "replies" are mostly "remove me" never
 *       wins; while the guardrail holds, no variant wins and the test goes on.
 * </ol>
 */
public final class WinnerDecision {

  /** Why the test did or did not produce a winner. */
  public enum Outcome {
    /** Fewer than two variants: nothing to compare. */
    NO_TEST,
    MIN_SAMPLE_NOT_REACHED,
    NOT_SIGNIFICANT,
    /** Two or more variants share the highest rate. */
    TIE,
    /** The best variant's opt-out rate is significantly higher than another's. */
    GUARDRAIL,
    WINNER
  }

  /**
   * @param test the chi-square test on the metric (NONE when there is no test)
   * @param leader the variant with the highest rate of the metric (null on a tie or without test)
   * @param winner the leader when the outcome is {@link Outcome#WINNER}, else null
   * @param guardrailAgainst for {@link Outcome#GUARDRAIL}, the variant whose opt-out rate is
   *     significantly lower than the leader's
   * @param guardrailTest that 2×2 opt-out test (null unless {@link Outcome#GUARDRAIL})
   */
  public record Evaluation(
      Outcome outcome,
      String metric,
      double confidence,
      ChiSquare.Result test,
      boolean minSampleReached,
      boolean significant,
      String leader,
      String winner,
      String guardrailAgainst,
      ChiSquare.Result guardrailTest) {}

  private WinnerDecision() {}

  /** The decision on a campaign's metrics under its auto-winner settings. */
  public static Evaluation decide(CampaignMetrics metrics, AutoWinner settings) {
    List<VariantOutcomes> variants = new ArrayList<>();
    for (Map.Entry<String, Counts> v : metrics.byVariant().entrySet()) {
      Counts c = v.getValue();
      variants.add(
          new VariantOutcomes(
              v.getKey(), c.messaged(), c.successesOf(settings.metric()), c.optedOut()));
    }
    return evaluate(settings.metric(), settings.confidence(), settings.minSample(), variants);
  }

  /**
   * @param variants every variant of the campaign, also those without messaged leads
   */
  public static Evaluation evaluate(
      String metric, double confidence, int minSample, List<VariantOutcomes> variants) {
    if (variants.size() < 2) {
      return new Evaluation(
          Outcome.NO_TEST,
          metric,
          confidence,
          ChiSquare.Result.NONE,
          false,
          false,
          null,
          null,
          null,
          null);
    }
    long[][] table =
        variants.stream()
            .map(v -> new long[] {v.successes(), v.messaged() - v.successes()})
            .toArray(long[][]::new);
    ChiSquare.Result test = ChiSquare.independence(table);
    boolean reached = variants.stream().allMatch(v -> v.messaged() >= minSample);
    boolean significant = test.significantAt(confidence);
    String leader = leader(variants);
    if (!reached) {
      return result(
          Outcome.MIN_SAMPLE_NOT_REACHED, metric, confidence, test, false, significant, leader);
    }
    if (!significant) {
      return result(Outcome.NOT_SIGNIFICANT, metric, confidence, test, true, false, leader);
    }
    if (leader == null) {
      return result(Outcome.TIE, metric, confidence, test, true, true, null);
    }
    VariantOutcomes best =
        variants.stream().filter(v -> v.variant().equals(leader)).findFirst().orElseThrow();
    for (VariantOutcomes other : variants) {
      if (other == best || best.optOutRate() <= other.optOutRate()) {
        continue;
      }
      ChiSquare.Result optOuts =
          ChiSquare.twoByTwo(best.optedOut(), best.messaged(), other.optedOut(), other.messaged());
      if (optOuts.significantAt(confidence)) {
        return new Evaluation(
            Outcome.GUARDRAIL,
            metric,
            confidence,
            test,
            true,
            true,
            leader,
            null,
            other.variant(),
            optOuts);
      }
    }
    return new Evaluation(
        Outcome.WINNER, metric, confidence, test, true, true, leader, leader, null, null);
  }

  private static Evaluation result(
      Outcome outcome,
      String metric,
      double confidence,
      ChiSquare.Result test,
      boolean minSample,
      boolean significant,
      String leader) {
    return new Evaluation(
        outcome, metric, confidence, test, minSample, significant, leader, null, null, null);
  }

  /** The variant with the strictly highest success rate, or null on a tie at the top. */
  private static String leader(List<VariantOutcomes> variants) {
    List<VariantOutcomes> ranked =
        variants.stream()
            .sorted(Comparator.comparingDouble(VariantOutcomes::successRate).reversed())
            .toList();
    // Rates compared exactly as fractions, so 1/3 and 2/6 tie.
    VariantOutcomes first = ranked.get(0);
    VariantOutcomes second = ranked.get(1);
    if (first.successes() * second.messaged() == second.successes() * first.messaged()) {
      return null;
    }
    return first.variant();
  }
}
