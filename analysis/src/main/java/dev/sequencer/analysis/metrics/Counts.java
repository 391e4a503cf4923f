package dev.sequencer.analysis.metrics;

import java.math.BigDecimal;

/**
 * The counts of one group of leads: the whole campaign ({@code totals}) or one variant. See {@link
 * MetricsQuery} for the precise definition of each count. Every rate is a share of {@code
 * messaged}, and 0 when no lead was messaged.
 *
 * @param leads every lead of the group, whatever its status
 * @param holdout leads kept out of all messages (only in the totals; 0 for a variant)
 * @param sent messages sent (not leads)
 * @param delivered messages the provider reported delivered (not leads)
 * @param conversionValue the sum of the values of the conversions attributed to messaged leads
 */
public record Counts(
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
    BigDecimal conversionValue) {

  public static final Counts ZERO =
      new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, BigDecimal.ZERO);

  public double replyRate() {
    return Rates.of(replied, messaged);
  }

  public double positiveReplyRate() {
    return Rates.of(positiveReplies, messaged);
  }

  public double optOutRate() {
    return Rates.of(optedOut, messaged);
  }

  public double conversionRate() {
    return Rates.of(converted, messaged);
  }

  /** The leads that count as a success for {@code metric} (reply_rate, positive_reply_rate, …). */
  public long successesOf(String metric) {
    return switch (metric) {
      case "reply_rate" -> replied;
      case "positive_reply_rate" -> positiveReplies;
      case "conversion_rate" -> converted;
      default -> throw new IllegalArgumentException("unknown metric " + metric);
    };
  }

  public Counts plus(Counts o) {
    return new Counts(
        leads + o.leads,
        holdout + o.holdout,
        messaged + o.messaged,
        sent + o.sent,
        delivered + o.delivered,
        opened + o.opened,
        clicked + o.clicked,
        replied + o.replied,
        positiveReplies + o.positiveReplies,
        optedOut + o.optedOut,
        bounced + o.bounced,
        failed + o.failed,
        converted + o.converted,
        conversionValue.add(o.conversionValue));
  }
}
