package dev.sequencer.analysis;

import java.time.Instant;

/**
 * A campaign's A/B test decided: the winning variant, the metric it won on, and the chi-square test
 * that made the difference significant. Recorded once (table {@code ab_decisions}), never changed.
 */
public record Decision(
    String campaignId,
    String winner,
    String metric,
    double statistic,
    double pValue,
    Instant decidedAt) {}
