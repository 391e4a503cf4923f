package dev.sequencer.api.metrics;

import dev.sequencer.analysis.metrics.AbTest;
import dev.sequencer.analysis.metrics.CampaignMetrics;
import dev.sequencer.analysis.metrics.Counts;
import dev.sequencer.analysis.metrics.StepCounts;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /api/v1/campaigns/{id}/metrics}, as API.md shows it. */
record MetricsResponse(
    String campaignId,
    Group totals,
    Holdout holdout,
    Map<String, Group> byVariant,
    Map<String, Step> byStep,
    AbTestView abTest,
    Map<String, Group> bySender,
    String pauseReason,
    dev.sequencer.analysis.metrics.CopyComparison byCopy,
    Map<String, Step> byChannel) {

  /** The totals, and each variant: counts of leads (sent and delivered: of messages), rates. */
  record Group(
      long leads,
      long holdout,
      long messaged,
      long sent,
      long delivered,
      long opened,
      long clicked,
      long replied,
      long positiveReplies,
      long optedOut,
      long bounced,
      long failed,
      long converted,
      double conversionValue,
      double replyRate,
      double positiveReplyRate,
      double optOutRate,
      double conversionRate) {

    static Group of(Counts c) {
      return new Group(
          c.leads(),
          c.holdout(),
          c.messaged(),
          c.sent(),
          c.delivered(),
          c.opened(),
          c.clicked(),
          c.replied(),
          c.positiveReplies(),
          c.optedOut(),
          c.bounced(),
          c.failed(),
          c.converted(),
          c.conversionValue().doubleValue(),
          c.replyRate(),
          c.positiveReplyRate(),
          c.optOutRate(),
          c.conversionRate());
    }
  }

  record Holdout(long leads, long converted, double conversionRate, Double lift) {}

  /** One step's funnel; rates are shares of the step's sent messages. */
  record Step(
      long sent,
      long delivered,
      long opened,
      long clicked,
      long replied,
      long positiveReplies,
      double openRate,
      double clickRate,
      double replyRate,
      double positiveReplyRate) {

    static Step of(StepCounts s) {
      return new Step(
          s.sent(),
          s.delivered(),
          s.opened(),
          s.clicked(),
          s.replied(),
          s.positiveReplies(),
          s.openRate(),
          s.clickRate(),
          s.replyRate(),
          s.positiveReplyRate());
    }
  }

  record AbTestView(
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

  /**
   * @param pauseReason why the campaign is paused (an auto-pause's rates), or null
   */
  static MetricsResponse of(CampaignMetrics m, AbTest ab, String pauseReason) {
    return of(m, ab, pauseReason, null, Map.of());
  }

  static MetricsResponse of(
      CampaignMetrics m,
      AbTest ab,
      String pauseReason,
      dev.sequencer.analysis.metrics.CopyComparison byCopy,
      Map<String, dev.sequencer.analysis.metrics.StepCounts> byChannel) {
    Map<String, Step> channels = new LinkedHashMap<>();
    byChannel.forEach((name, counts) -> channels.put(name, Step.of(counts)));
    Map<String, Group> senders = new LinkedHashMap<>();
    m.bySender().forEach((id, counts) -> senders.put(id, Group.of(counts)));
    Map<String, Group> variants = new LinkedHashMap<>();
    m.byVariant().forEach((name, counts) -> variants.put(name, Group.of(counts)));
    Map<String, Step> steps = new LinkedHashMap<>();
    m.byStep().forEach((name, counts) -> steps.put(name, Step.of(counts)));
    return new MetricsResponse(
        m.campaignId(),
        Group.of(m.totals()),
        new Holdout(
            m.holdout().leads(), m.holdout().converted(), m.holdout().conversionRate(), m.lift()),
        variants,
        steps,
        new AbTestView(
            ab.metric(),
            ab.test(),
            ab.statistic(),
            ab.pValue(),
            ab.confidence(),
            ab.significant(),
            ab.minSampleReached(),
            ab.winner(),
            ab.intervals(),
            ab.decidedAt()),
        senders,
        pauseReason,
        byCopy,
        channels);
  }
}
