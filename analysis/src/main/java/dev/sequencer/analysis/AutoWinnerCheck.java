package dev.sequencer.analysis;

import dev.sequencer.analysis.metrics.CampaignAnalytics;
import dev.sequencer.analysis.metrics.CampaignMetrics;
import dev.sequencer.analysis.metrics.MetricsQuery;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One auto-winner check of a campaign, for a periodic activity: reads the metrics, applies {@link
 * WinnerDecision} and records a winner once. Safe to repeat and to run concurrently: a decided
 * campaign is answered from the store, and the first recorded decision stands.
 */
@Component
public class AutoWinnerCheck {

  private static final Logger log = LoggerFactory.getLogger(AutoWinnerCheck.class);

  private final CampaignRepository campaigns;
  private final MetricsQuery metrics;
  private final AbDecisions decisions;
  private final Clock clock;

  public AutoWinnerCheck(
      CampaignRepository campaigns, MetricsQuery metrics, AbDecisions decisions, Clock clock) {
    this.campaigns = campaigns;
    this.metrics = metrics;
    this.decisions = decisions;
    this.clock = clock;
  }

  /**
   * @return the campaign's decision as stored — made by this call or an earlier one — or empty
   *     while there is none (auto-winner disabled, too few leads, not significant, tie, guardrail)
   */
  public Optional<Decision> check(String campaignId) {
    Optional<Decision> decided = decisions.of(campaignId);
    if (decided.isPresent()) {
      return decided;
    }
    Campaign campaign =
        campaigns
            .findById(campaignId)
            .orElseThrow(() -> new IllegalArgumentException("no campaign " + campaignId));
    if (!campaign.autoWinner().enabled()) {
      return Optional.empty();
    }
    CampaignMetrics current = metrics.of(campaignId, CampaignAnalytics.variantsOf(campaign));
    WinnerDecision.Evaluation evaluation = WinnerDecision.decide(current, campaign.autoWinner());
    if (evaluation.outcome() != WinnerDecision.Outcome.WINNER) {
      log.debug("campaign {}: no winner yet ({})", campaignId, evaluation.outcome());
      return Optional.empty();
    }
    Decision decision =
        new Decision(
            campaignId,
            evaluation.winner(),
            evaluation.metric(),
            evaluation.test().statistic(),
            evaluation.test().pValue(),
            clock.instant());
    if (decisions.record(decision)) {
      log.info(
          "campaign {}: variant {} wins on {} (chi-square {}, p {})",
          campaignId,
          decision.winner(),
          decision.metric(),
          decision.statistic(),
          decision.pValue());
    }
    return decisions.of(campaignId);
  }
}
