package dev.sequencer.analysis.stats;

import java.util.Arrays;
import org.apache.commons.math3.stat.inference.ChiSquareTest;

/**
 * Pearson's chi-square test of independence on a contingency table, without continuity correction
 * (Apache Commons Math computes both the statistic and the p-value).
 */
public final class ChiSquare {

  /**
   * @param degreesOfFreedom (rows − 1)(columns − 1) of the table actually tested; 0 when nothing
   *     could be tested
   */
  public record Result(double statistic, double pValue, int degreesOfFreedom) {

    /** No evidence either way: the table has fewer than two non-empty rows or columns. */
    public static final Result NONE = new Result(0.0, 1.0, 0);

    /** Whether the p-value is below {@code 1 − confidence}. */
    public boolean significantAt(double confidence) {
      return degreesOfFreedom > 0 && pValue < 1 - confidence;
    }
  }

  private ChiSquare() {}

  /**
   * Tests {@code table} (rows: groups, e.g. variants; columns: outcomes, e.g. replied and not
   * replied). Rows and columns whose total is 0 carry no information and would make an expected
   * count 0, so they are left out; a table left with fewer than two rows or two columns has no test
   * ({@link Result#NONE}: statistic 0, p-value 1). A single zero cell is tested as it is.
   */
  public static Result independence(long[][] table) {
    long[][] tested = withoutEmptyRowsAndColumns(table);
    if (tested.length < 2 || tested[0].length < 2) {
      return Result.NONE;
    }
    ChiSquareTest test = new ChiSquareTest();
    return new Result(
        test.chiSquare(tested),
        test.chiSquareTest(tested),
        (tested.length - 1) * (tested[0].length - 1));
  }

  /** A 2×2 test of two groups on one yes/no outcome. */
  public static Result twoByTwo(long yesA, long totalA, long yesB, long totalB) {
    return independence(new long[][] {{yesA, totalA - yesA}, {yesB, totalB - yesB}});
  }

  private static long[][] withoutEmptyRowsAndColumns(long[][] table) {
    long[][] rows =
        Arrays.stream(table).filter(row -> Arrays.stream(row).sum() > 0).toArray(long[][]::new);
    if (rows.length == 0) {
      return rows;
    }
    int columns = rows[0].length;
    int[] kept =
        java.util.stream.IntStream.range(0, columns)
            .filter(c -> Arrays.stream(rows).mapToLong(row -> row[c]).sum() > 0)
            .toArray();
    long[][] result = new long[rows.length][kept.length];
    for (int r = 0; r < rows.length; r++) {
      for (int k = 0; k < kept.length; k++) {
        result[r][k] = rows[r][kept[k]];
      }
    }
    return result;
  }
}
