package dev.sequencer.analysis.metrics;

/** A campaign's metrics with its A/B test. */
/**
 * @param copy generated copy against the template, for a campaign with generated steps; else null
 */
public record MetricsReport(CampaignMetrics metrics, AbTest abTest, CopyComparison copy) {}
