package dev.sequencer.analysis.metrics;

import dev.sequencer.analysis.AbDecisions;
import dev.sequencer.analysis.Decision;
import dev.sequencer.analysis.WinnerDecision;
import dev.sequencer.analysis.stats.WilsonInterval;
import dev.sequencer.store.campaign.AutoWinner;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignVariant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** A campaign's metrics and A/B test, as {@code GET /api/v1/campaigns/{id}/metrics} shows them. */
@Service
public class CampaignAnalytics {

  private final MetricsQuery query;
  private final AbDecisions decisions;
  private final CopyComparisons copies;

  public CampaignAnalytics(MetricsQuery query, AbDecisions decisions, CopyComparisons copies) {
    this.query = query;
    this.decisions = decisions;
    this.copies = copies;
  }

  /** The variants of {@code campaign}: A (the base steps), then the others in their order. */
  public static List<String> variantsOf(Campaign campaign) {
    List<String> variants = new ArrayList<>();
    variants.add(CampaignVariant.BASE);
    campaign.variants().forEach(v -> variants.add(v.name()));
    return variants;
  }

  public CampaignMetrics metrics(Campaign campaign) {
    return query.of(campaign.id(), variantsOf(campaign));
  }

  public MetricsReport report(Campaign campaign) {
    CampaignMetrics metrics = metrics(campaign);
    boolean generated =
        campaign.steps().stream().anyMatch(dev.sequencer.store.campaign.CampaignStep::generated);
    return new MetricsReport(
        metrics,
        abTest(metrics, campaign.autoWinner(), decisions.of(campaign.id())),
        generated ? copies.of(campaign.id()) : null);
  }

  /** The A/B test on {@code metrics}: the statistics, and the stored decision if there is one. */
  public static AbTest abTest(
      CampaignMetrics metrics, AutoWinner settings, Optional<Decision> decision) {
    WinnerDecision.Evaluation evaluation = WinnerDecision.decide(metrics, settings);
    Map<String, double[]> intervals = new LinkedHashMap<>();
    metrics
        .byVariant()
        .forEach(
            (variant, counts) ->
                intervals.put(
                    variant,
                    // Always 95 %, whatever confidence the auto-winner decides at.
                    WilsonInterval.of(
                        counts.successesOf(settings.metric()), counts.messaged(), 0.95)));
    return new AbTest(
        settings.metric(),
        "chi_square",
        evaluation.test().statistic(),
        evaluation.test().pValue(),
        settings.confidence(),
        evaluation.significant(),
        evaluation.minSampleReached(),
        decision.map(Decision::winner).orElse(null),
        intervals,
        decision.map(Decision::decidedAt).orElse(null));
  }
}
