package dev.sequencer.analysis.metrics;

/** A campaign's metrics with its A/B test. */
public record MetricsReport(CampaignMetrics metrics, AbTest abTest) {}
