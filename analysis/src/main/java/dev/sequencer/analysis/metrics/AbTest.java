package dev.sequencer.analysis.metrics;

import java.time.Instant;
import java.util.Map;

/**
 * The A/B test as the metrics show it: Pearson's chi-square test of independence (no continuity
 * correction) on variants × (success, no success) of messaged leads, success being what {@code
 * metric} counts (a reply for {@code reply_rate}); a Wilson interval per variant's rate at the same
 * confidence; and the winner once one has been decided.
 */
public record AbTest(
    String metric,
    String test,
    double statistic,
    double pValue,
    double confidence,
    boolean significant,
    boolean minSampleReached,
    String winner,
    Map<String, double[]> intervals,
    Instant decidedAt) {}
