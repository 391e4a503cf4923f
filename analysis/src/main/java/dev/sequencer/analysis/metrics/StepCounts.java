package dev.sequencer.analysis.metrics;

/**
 * The funnel of one step (hook, proof or fomo): its messages sent, delivered, opened and clicked,
 * and the replies attributed to it — a replied lead's first human reply belongs to the last step
 * sent to the lead before that reply. Rates are shares of {@code sent} (one message per lead and
 * step, so also of the leads the step reached).
 */
public record StepCounts(
    long sent, long delivered, long opened, long clicked, long replied, long positiveReplies) {

  public static final StepCounts ZERO = new StepCounts(0, 0, 0, 0, 0, 0);

  public double openRate() {
    return Rates.of(opened, sent);
  }

  public double clickRate() {
    return Rates.of(clicked, sent);
  }

  public double replyRate() {
    return Rates.of(replied, sent);
  }

  public double positiveReplyRate() {
    return Rates.of(positiveReplies, sent);
  }

  public StepCounts plus(StepCounts o) {
    return new StepCounts(
        sent + o.sent,
        delivered + o.delivered,
        opened + o.opened,
        clicked + o.clicked,
        replied + o.replied,
        positiveReplies + o.positiveReplies);
  }
}
