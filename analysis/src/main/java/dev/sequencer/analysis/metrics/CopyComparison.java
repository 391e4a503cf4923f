package dev.sequencer.analysis.metrics;

/**
 * Generated copy against the template, compared as two variants of an A/B test: each lead that was
 * messaged counts for {@code generated} when one of its messages carried the model's text and for
 * {@code template} otherwise; the test is the chi-square test of their reply rates.
 */
public record CopyComparison(
    Group generated, Group template, double statistic, double pValue, boolean significant) {

  /** Leads messaged, those who replied, and the reply rate. */
  public record Group(long leads, long replied, double replyRate) {}

  /** The confidence the comparison is called significant at. */
  public static final double CONFIDENCE = 0.95;
}
