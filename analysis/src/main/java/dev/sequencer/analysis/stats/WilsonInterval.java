package dev.sequencer.analysis.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The Wilson score interval of a proportion: unlike the normal approximation it stays within [0, 1]
 * and is sound for small samples and rates near 0 or 1.
 */
public final class WilsonInterval {

  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);

  private WilsonInterval() {}

  /**
   * @param successes e.g. replied leads
   * @param trials e.g. messaged leads
   * @param confidence two-sided, e.g. 0.95
   * @return {@code [lower, upper]}; {@code [0, 1]} when there are no trials (nothing is known)
   */
  public static double[] of(long successes, long trials, double confidence) {
    if (successes < 0 || trials < 0 || successes > trials) {
      throw new IllegalArgumentException(successes + " successes of " + trials + " trials");
    }
    if (trials == 0) {
      return new double[] {0.0, 1.0};
    }
    double z = STANDARD_NORMAL.inverseCumulativeProbability(1 - (1 - confidence) / 2);
    double n = trials;
    double p = successes / n;
    double z2 = z * z;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denominator;
    double halfWidth = z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return new double[] {Math.max(0, centre - halfWidth), Math.min(1, centre + halfWidth)};
  }
}
