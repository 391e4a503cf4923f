package dev.sequencer.analysis.metrics;

/**
 * The holdout: leads kept out of all messages. A holdout lead's conversion counts when it falls
 * within the attribution window after the lead's enrolment, so its conversion rate is the baseline
 * the messaged leads' rate is compared with.
 */
public record HoldoutCounts(long leads, long converted) {

  public double conversionRate() {
    return Rates.of(converted, leads);
  }
}
