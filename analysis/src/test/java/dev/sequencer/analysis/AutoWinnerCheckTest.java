package dev.sequencer.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sequencer.analysis.metrics.CampaignAnalytics;
import dev.sequencer.analysistest.AnalysisIntegrationTest;
import dev.sequencer.analysistest.Outreach;
import dev.sequencer.store.campaign.AutoWinner;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.testing.CampaignBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class AutoWinnerCheckTest extends AnalysisIntegrationTest {

  private static final Instant SENT = Instant.parse("2026-03-02T09:00:00Z");

  @Autowired AutoWinnerCheck check;
  @Autowired AbDecisions decisions;
  @Autowired CampaignAnalytics analytics;

  private Campaign campaign(boolean enabled) {
    return fixtures()
        .save(
            CampaignBuilder.email(fixtures().organization())
                .variant("B", 50)
                .autoWinner(new AutoWinner(enabled, "reply_rate", 0.95, 100))
                .build());
  }

  @Test
  void recordsTheWinnerOnceAndKeepsIt() {
    Campaign campaign = campaign(true);
    Outreach outreach = new Outreach(jdbc, campaign.organizationId(), campaign.id());
    outreach.variant("a", "A", 100, 20, "interested", 0, SENT);
    outreach.variant("b", "B", 99, 35, "interested", 0, SENT);
    // 99 messaged leads in B: below the minimum sample of 100.
    assertThat(check.check(campaign.id())).isEmpty();
    assertThat(decisions.of(campaign.id())).isEmpty();

    outreach.variant("c", "B", 1, 0, "interested", 0, SENT);
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Decision decision = check.check(campaign.id()).orElseThrow();
    assertThat(decision.campaignId()).isEqualTo(campaign.id());
    assertThat(decision.winner()).isEqualTo("B");
    assertThat(decision.metric()).isEqualTo("reply_rate");
    assertThat(decision.statistic()).isCloseTo(5.642633228840125, within(1e-9));
    assertThat(decision.pValue()).isCloseTo(0.01752886126037274, within(1e-9));
    assertThat(decision.decidedAt()).isAfterOrEqualTo(before.minusMillis(1));

    // More replies for A later change nothing: the decision stands.
    outreach.variant("d", "A", 100, 90, "interested", 0, SENT);
    assertThat(check.check(campaign.id())).contains(decision);
    assertThat(
            decisions.record(
                new Decision(campaign.id(), "A", "reply_rate", 99.0, 0.0, Instant.now())))
        .isFalse();
    assertThat(decisions.of(campaign.id())).contains(decision);
  }

  @Test
  void aVariantWhoseRepliesAreOptOutsDoesNotWin() {
    Campaign campaign = campaign(true);
    Outreach outreach = new Outreach(jdbc, campaign.organizationId(), campaign.id());
    outreach.variant("a", "A", 100, 20, "interested", 0, SENT);
    // B: 35 replies, 30 of them "remove me".
    outreach.variant("b", "B", 100, 30, "unsubscribe", 30, SENT);
    jdbc.sql(
            """
            insert into lead_events (organization_id, campaign_id, lead_pk, event, detail, at)
            select organization_id, campaign_id, id, 'replied', 'neutral: ok', now()
            from leads where campaign_id = ? and lead_id in ('b-31','b-32','b-33','b-34','b-35')
            """)
        .param(campaign.id())
        .update();
    WinnerDecision.Evaluation evaluation =
        WinnerDecision.decide(analytics.metrics(campaign), campaign.autoWinner());
    assertThat(evaluation.outcome()).isEqualTo(WinnerDecision.Outcome.GUARDRAIL);
    assertThat(evaluation.leader()).isEqualTo("B");
    assertThat(check.check(campaign.id())).isEmpty();
    assertThat(decisions.of(campaign.id())).isEmpty();
  }

  @Test
  void decidesNothingWhenAutoWinnerIsOff() {
    Campaign campaign = campaign(false);
    Outreach outreach = new Outreach(jdbc, campaign.organizationId(), campaign.id());
    outreach.variant("a", "A", 100, 20, "interested", 0, SENT);
    outreach.variant("b", "B", 100, 35, "interested", 0, SENT);
    assertThat(check.check(campaign.id())).isEmpty();
    assertThat(decisions.of(campaign.id())).isEqualTo(Optional.empty());
  }
}
