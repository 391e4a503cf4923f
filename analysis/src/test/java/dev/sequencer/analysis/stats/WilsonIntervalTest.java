package dev.sequencer.analysis.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WilsonIntervalTest {

  /** The Wilson score interval written out, with z = 1.959963984540054 (95 %). */
  static double[] wilson95(long successes, long trials) {
    double z = 1.959963984540054;
    double n = trials;
    double p = successes / n;
    double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
    double half = z / (1 + z * z / n) * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
    return new double[] {centre - half, centre + half};
  }

  @Test
  void twentyOfAHundred() {
    double[] interval = WilsonInterval.of(20, 100, 0.95);
    assertThat(interval[0]).isCloseTo(0.1334, within(5e-5));
    assertThat(interval[1]).isCloseTo(0.2888, within(5e-5));
    assertThat(interval[0]).isCloseTo(0.13336693333103253, within(1e-9));
    assertThat(interval[1]).isCloseTo(0.28882916559315885, within(1e-9));
  }

  @Test
  void matchesTheFormula() {
    for (long[] c : new long[][] {{35, 100}, {1, 7}, {499, 1000}, {3, 3000}}) {
      double[] expected = wilson95(c[0], c[1]);
      double[] actual = WilsonInterval.of(c[0], c[1], 0.95);
      assertThat(actual[0]).isCloseTo(expected[0], within(1e-9));
      assertThat(actual[1]).isCloseTo(expected[1], within(1e-9));
    }
  }

  @Test
  void staysWithinZeroAndOne() {
    double[] none = WilsonInterval.of(0, 10, 0.95);
    assertThat(none[0]).isEqualTo(0.0);
    assertThat(none[1]).isCloseTo(0.2775327998628892, within(1e-9));
    double[] all = WilsonInterval.of(10, 10, 0.95);
    assertThat(all[0]).isCloseTo(0.7224672001371107, within(1e-9));
    assertThat(all[1]).isLessThanOrEqualTo(1.0).isCloseTo(1.0, within(1e-12));
    // Nothing measured: anything is possible.
    assertThat(WilsonInterval.of(0, 0, 0.95)).containsExactly(0.0, 1.0);
  }

  @Test
  void widensWithConfidence() {
    double[] ninetyFive = WilsonInterval.of(20, 100, 0.95);
    double[] ninetyNine = WilsonInterval.of(20, 100, 0.99);
    assertThat(ninetyNine[0]).isLessThan(ninetyFive[0]);
    assertThat(ninetyNine[1]).isGreaterThan(ninetyFive[1]);
  }

  @Test
  void refusesImpossibleCounts() {
    assertThatThrownBy(() -> WilsonInterval.of(5, 4, 0.95))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
