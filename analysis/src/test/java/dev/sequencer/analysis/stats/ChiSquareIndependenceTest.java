package dev.sequencer.analysis.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The chi-square test against values computed independently: the statistic from Pearson's formula
 * written out here, and the p-value from closed forms of the chi-square survival function (df 1:
 * {@code 2(1 − Φ(√x))}, here through a series for erf; df 2: {@code e^(−x/2)}) and textbook
 * critical values.
 */
class ChiSquareIndependenceTest {

  /** Σ (observed − expected)² / expected, expected = row total × column total / grand total. */
  static double pearson(long[][] t) {
    int rows = t.length;
    int columns = t[0].length;
    double[] rowTotals = new double[rows];
    double[] columnTotals = new double[columns];
    double total = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        rowTotals[r] += t[r][c];
        columnTotals[c] += t[r][c];
        total += t[r][c];
      }
    }
    double statistic = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        double expected = rowTotals[r] * columnTotals[c] / total;
        statistic += Math.pow(t[r][c] - expected, 2) / expected;
      }
    }
    return statistic;
  }

  /** erf by its Maclaurin series, which converges for every x (used here for x ≤ 3). */
  static double erf(double x) {
    double sum = 0;
    double term = x;
    for (int n = 0; n < 200; n++) {
      sum += term / (2 * n + 1);
      term *= -x * x / (n + 1);
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }

  /** P(χ²₁ > x) = 1 − erf(√(x/2)). */
  static double survivalDf1(double x) {
    return 1 - erf(Math.sqrt(x / 2));
  }

  /** P(χ²₂ > x) = e^(−x/2). */
  static double survivalDf2(double x) {
    return Math.exp(-x / 2);
  }

  @Test
  void twoVariantsDifferingInReplies() {
    long[][] table = {{20, 80}, {35, 65}};
    ChiSquare.Result result = ChiSquare.independence(table);
    // Expected 27.5 / 72.5 in each row: 2 × 7.5² × (1/27.5 + 1/72.5).
    assertThat(pearson(table)).isCloseTo(5.642633228840125, within(1e-12));
    assertThat(result.statistic()).isCloseTo(5.642633228840125, within(1e-9));
    assertThat(result.degreesOfFreedom()).isEqualTo(1);
    assertThat(result.pValue()).isCloseTo(survivalDf1(result.statistic()), within(1e-9));
    assertThat(result.pValue()).isCloseTo(0.01752886126037274, within(1e-9));
    assertThat(result.significantAt(0.95)).isTrue();
    assertThat(result.significantAt(0.99)).isFalse();
  }

  @Test
  void aZeroCellIsTestedAsItIs() {
    long[][] table = {{0, 50}, {10, 40}};
    ChiSquare.Result result = ChiSquare.independence(table);
    // Expected 5 / 45 per row: 25/5 + 25/45 + 25/5 + 25/45 = 100/9.
    assertThat(result.statistic()).isCloseTo(100.0 / 9, within(1e-9));
    assertThat(result.statistic()).isCloseTo(pearson(table), within(1e-9));
    assertThat(result.pValue()).isCloseTo(survivalDf1(100.0 / 9), within(1e-9));
    assertThat(result.pValue()).isCloseTo(0.0008581206663936747, within(1e-10));
  }

  @Test
  void threeVariantsHaveTwoDegreesOfFreedom() {
    long[][] table = {{20, 80}, {35, 65}, {25, 75}};
    ChiSquare.Result result = ChiSquare.independence(table);
    assertThat(result.degreesOfFreedom()).isEqualTo(2);
    assertThat(result.statistic()).isCloseTo(pearson(table), within(1e-9));
    assertThat(result.statistic()).isCloseTo(5.965909090909091, within(1e-9));
    assertThat(result.pValue()).isCloseTo(survivalDf2(result.statistic()), within(1e-9));
    // Just above the 5 % critical value of df 2 (5.991): not significant at 95 %.
    assertThat(result.pValue()).isCloseTo(0.05064298560423453, within(1e-9));
    assertThat(result.significantAt(0.95)).isFalse();

    long[][] unequal = {{12, 88}, {30, 170}, {5, 95}};
    ChiSquare.Result second = ChiSquare.independence(unequal);
    assertThat(second.statistic()).isCloseTo(6.4372250015068415, within(1e-9));
    assertThat(second.pValue()).isCloseTo(survivalDf2(6.4372250015068415), within(1e-9));
    assertThat(second.significantAt(0.95)).isTrue();
  }

  @Test
  void pValuesMatchTextbookCriticalValues() {
    // χ² critical values: df 1 at 5 % 3.841459, at 1 % 6.634897; df 2 at 5 % 5.991465.
    assertThat(survivalDf1(3.841459)).isCloseTo(0.05, within(1e-6));
    assertThat(survivalDf1(6.634897)).isCloseTo(0.01, within(1e-6));
    // Expected 50 in every cell: 4 × 10² / 50 = 8.
    long[][] table = {{40, 60}, {60, 40}};
    assertThat(pearson(table)).isCloseTo(8.0, within(1e-12));
    ChiSquare.Result result = ChiSquare.independence(table);
    assertThat(result.statistic()).isCloseTo(8.0, within(1e-9));
    assertThat(result.pValue()).isCloseTo(survivalDf1(8.0), within(1e-9));
    assertThat(result.pValue()).isLessThan(0.01);
  }

  @Test
  void identicalRatesGiveNoEvidence() {
    ChiSquare.Result result = ChiSquare.independence(new long[][] {{30, 70}, {30, 70}});
    assertThat(result.statistic()).isCloseTo(0.0, within(1e-12));
    assertThat(result.pValue()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void emptyRowsAndColumnsAreLeftOut() {
    // Nobody replied anywhere: the replied column is empty, there is nothing to test.
    assertThat(ChiSquare.independence(new long[][] {{0, 40}, {0, 60}}))
        .isEqualTo(ChiSquare.Result.NONE);
    // A variant with no messaged lead drops out; the other two are tested.
    long[][] withEmptyVariant = {{20, 80}, {0, 0}, {35, 65}};
    ChiSquare.Result result = ChiSquare.independence(withEmptyVariant);
    assertThat(result.degreesOfFreedom()).isEqualTo(1);
    assertThat(result.statistic()).isCloseTo(5.642633228840125, within(1e-9));
    // One variant only: no test.
    assertThat(ChiSquare.independence(new long[][] {{5, 95}, {0, 0}}).pValue()).isEqualTo(1.0);
  }
}
