package dev.sequencer.analysis.metrics;

import dev.sequencer.store.campaign.StepType;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group of leads of one campaign that look the same to the metrics, and how many there are. The
 * definitions of every count, per lead:
 *
 * <ul>
 *   <li><b>messaged</b>: at least one message handed over to the provider (it has a {@code
 *       sent_at}); a hand-over that failed does not count.
 *   <li><b>sent</b> / <b>delivered</b>: messages (not leads) handed over, and reported {@code
 *       DELIVERED}; per step, the leads whose message of that step was (one message per lead and
 *       step).
 *   <li><b>opened</b> / <b>clicked</b>: messaged leads with an {@code opened} / {@code clicked}
 *       event; per step, those of that step's message.
 *   <li><b>human reply</b>: a {@code replied} event whose detail starts with {@code interested},
 *       {@code not_interested}, {@code neutral} or {@code unsubscribe} (then {@code :} or the end).
 *       Out-of-office and auto-replies have events of their own, and the {@code replied} event a
 *       workflow writes when it stops carries no classification: neither counts.
 *   <li><b>replied</b>: a lead with a human reply that came after a message was sent to it ({@code
 *       messages.sent_at < lead_events.at}). The first such reply is attributed to the last step
 *       sent before it, so the steps' replies add up to the total and every replied lead is
 *       messaged. The lead's status is not used: an unsubscribe reply ends as {@code opted_out}, a
 *       campaign that does not stop on replies keeps the lead going.
 *   <li><b>positive_replies</b>: replied leads with an {@code interested} reply after a message.
 *   <li><b>opted_out</b>: messaged leads with status {@code OPTED_OUT}, an {@code opted_out} event,
 *       or an {@code unsubscribe} reply (which opts the address out, though a lead whose sequence
 *       had ended keeps its status).
 *   <li><b>bounced</b>: messaged leads with status {@code BOUNCED} or a {@code bounced} event.
 *   <li><b>failed</b>: leads, messaged or not (a hook that cannot be handed over fails the lead),
 *       with status {@code FAILED} or a {@code failed} event.
 *   <li><b>converted</b>: messaged leads with an attributed conversion (within the attribution
 *       window after a message); {@code conversion_value} sums those conversions' values. For the
 *       holdout: holdout leads with a conversion attributed to their enrolment.
 * </ul>
 *
 * <p>{@code profile} packs the per-lead facts as {@code lead_metrics.profile} computes them: bits
 * 0-3 the steps sent, 4-7 delivered, 8-11 opened, 12-15 clicked (each a step set: hook 1, proof 2,
 * fomo 4, other 8), 16-19 the step the first human reply after a message is attributed to (0: no
 * such reply), then one bit each for positive (20), opted out (21), bounced (22), failed (23) and
 * converted (24). A lead without a {@code lead_metrics} row has profile 0.
 *
 * @param leads the number of leads with this variant, status and profile
 * @param sent their messages handed over
 * @param delivered their messages delivered
 * @param conversionValue the sum of their attributed conversions' values
 * @param senderId the sender these leads were given, or null
 */
public record LeadProfile(
    String variant,
    String status,
    int profile,
    long leads,
    long sent,
    long delivered,
    BigDecimal conversionValue,
    String senderId) {

  public LeadProfile(
      String variant,
      String status,
      int profile,
      long leads,
      long sent,
      long delivered,
      BigDecimal conversionValue) {
    this(variant, status, profile, leads, sent, delivered, conversionValue, null);
  }

  /** The bit of {@code step} in a step set (as SQL function {@code metrics_step_bit}). */
  public static int bitOf(StepType step) {
    return 1 << step.ordinal();
  }

  public int sentSteps() {
    return profile & 0xF;
  }

  public int deliveredSteps() {
    return (profile >> 4) & 0xF;
  }

  public int openedSteps() {
    return (profile >> 8) & 0xF;
  }

  public int clickedSteps() {
    return (profile >> 12) & 0xF;
  }

  /** The step set holding the step the lead's first human reply is attributed to, or 0. */
  public int repliedSteps() {
    return (profile >> 16) & 0xF;
  }

  public boolean positive() {
    return (profile & (1 << 20)) != 0;
  }

  public boolean optedOut() {
    return (profile & (1 << 21)) != 0;
  }

  public boolean bounced() {
    return (profile & (1 << 22)) != 0;
  }

  public boolean failed() {
    return (profile & (1 << 23)) != 0;
  }

  public boolean converted() {
    return (profile & (1 << 24)) != 0;
  }

  public boolean holdout() {
    return "HOLDOUT".equals(status);
  }

  public boolean messaged() {
    return sentSteps() != 0;
  }

  public boolean replied() {
    return repliedSteps() != 0;
  }

  /** This profile's contribution to its group's counts. */
  public Counts counts() {
    boolean messaged = messaged();
    boolean converts = messaged && converted();
    return new Counts(
        leads,
        holdout() ? leads : 0,
        messaged ? leads : 0,
        sent,
        delivered,
        messaged && openedSteps() != 0 ? leads : 0,
        messaged && clickedSteps() != 0 ? leads : 0,
        replied() ? leads : 0,
        replied() && positive() ? leads : 0,
        messaged && (optedOut() || "OPTED_OUT".equals(status)) ? leads : 0,
        messaged && (bounced() || "BOUNCED".equals(status)) ? leads : 0,
        failed() || "FAILED".equals(status) ? leads : 0,
        converts ? leads : 0,
        converts ? conversionValue : BigDecimal.ZERO);
  }

  /** This profile's contribution to {@code step}'s funnel. */
  public StepCounts stepCounts(StepType step) {
    int bit = bitOf(step);
    boolean repliedHere = (repliedSteps() & bit) != 0;
    return new StepCounts(
        (sentSteps() & bit) != 0 ? leads : 0,
        (deliveredSteps() & bit) != 0 ? leads : 0,
        (openedSteps() & bit) != 0 ? leads : 0,
        (clickedSteps() & bit) != 0 ? leads : 0,
        repliedHere ? leads : 0,
        repliedHere && positive() ? leads : 0);
  }

  /**
   * Adds up profiles into a campaign's metrics. The totals count every lead; each variant its
   * leads; leads without a variant (holdout, suppressed, pending) only the totals, and holdout
   * leads the holdout too.
   */
  public static CampaignMetrics fold(
      String campaignId, List<String> variants, List<LeadProfile> profiles) {
    Map<String, Counts> byVariant = new LinkedHashMap<>();
    variants.forEach(v -> byVariant.put(v, Counts.ZERO));
    Map<String, StepCounts> byStep = new LinkedHashMap<>();
    for (StepType step : StepType.values()) {
      byStep.put(step.wireName(), StepCounts.ZERO);
    }
    Map<String, Counts> bySender = new java.util.TreeMap<>();
    Counts totals = Counts.ZERO;
    long holdoutLeads = 0;
    long holdoutConverted = 0;
    for (LeadProfile p : profiles) {
      Counts counts = p.counts();
      totals = totals.plus(counts);
      if (p.variant() != null) {
        byVariant.merge(p.variant(), counts, Counts::plus);
      }
      if (p.senderId() != null) {
        bySender.merge(p.senderId(), counts, Counts::plus);
      }
      if (p.holdout()) {
        holdoutLeads += p.leads();
        holdoutConverted += p.converted() ? p.leads() : 0;
      }
      for (StepType step : StepType.values()) {
        byStep.merge(step.wireName(), p.stepCounts(step), StepCounts::plus);
      }
    }
    return new CampaignMetrics(
        campaignId,
        totals,
        new HoldoutCounts(holdoutLeads, holdoutConverted),
        byVariant,
        byStep,
        bySender);
  }
}
