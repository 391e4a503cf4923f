package dev.sequencer.analysis.metrics;

import java.util.Map;

/**
 * The counts of a campaign as {@link MetricsQuery} reads them.
 *
 * @param byVariant every variant of the campaign (A first), also those without leads yet
 * @param byStep hook, proof and fomo, in sequence order
 * @param bySender each sender the campaign's leads were given, by sender id
 */
public record CampaignMetrics(
    String campaignId,
    Counts totals,
    HoldoutCounts holdout,
    Map<String, Counts> byVariant,
    Map<String, StepCounts> byStep,
    Map<String, Counts> bySender) {

  public CampaignMetrics(
      String campaignId,
      Counts totals,
      HoldoutCounts holdout,
      Map<String, Counts> byVariant,
      Map<String, StepCounts> byStep) {
    this(campaignId, totals, holdout, byVariant, byStep, Map.of());
  }

  /**
   * The relative lift of the messaged leads' conversion rate over the holdout's: {@code (messaged
   * rate − holdout rate) / holdout rate}; null without holdout leads or when none of them converted
   * (no baseline to divide by).
   */
  public Double lift() {
    if (holdout.leads() == 0 || holdout.converted() == 0) {
      return null;
    }
    double baseline = holdout.conversionRate();
    return (totals.conversionRate() - baseline) / baseline;
  }
}
