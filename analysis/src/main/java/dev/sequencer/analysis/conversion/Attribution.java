package dev.sequencer.analysis.conversion;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a conversion counts for the campaign, decided when it is reported.
 *
 * <p>A messaged lead's conversion counts when it occurred within {@code attribution_window_days}
 * after the last message sent to the lead before it (bounds included). A holdout lead gets no
 * message, so its conversion counts when it occurred within the same window after the lead was
 * enrolled (into the holdout): the holdout's conversion rate is then measured over the same span as
 * the messaged leads', and the difference between the two is the lift the sequence brings.
 *
 * @param basis {@code message}, {@code holdout}, or null when there was nothing to attribute to
 * @param step the step of the last message (null unless the basis is a message)
 * @param basisAt when that message was sent, or the holdout lead was enrolled
 * @param reason why it counts or does not, in words
 */
public record Attribution(
    boolean attributed, String basis, String step, Instant basisAt, int windowDays, String reason) {

  public static final String MESSAGE = "message";
  public static final String HOLDOUT = "holdout";

  /** The last message sent to a lead at or before some instant. */
  public record LastMessage(String step, Instant sentAt) {}

  /**
   * @param lastMessage the last message sent to the lead at or before {@code occurredAt}, or null
   * @param holdoutEnrolledAt when the lead was put in the holdout, or null if it is not a holdout
   *     lead
   */
  public static Attribution of(
      Instant occurredAt, int windowDays, LastMessage lastMessage, Instant holdoutEnrolledAt) {
    Duration window = Duration.ofDays(windowDays);
    if (holdoutEnrolledAt != null) {
      if (occurredAt.isBefore(holdoutEnrolledAt)) {
        return new Attribution(
            false,
            HOLDOUT,
            null,
            holdoutEnrolledAt,
            windowDays,
            "occurred before the lead was enrolled in the holdout");
      }
      boolean within = !occurredAt.isAfter(holdoutEnrolledAt.plus(window));
      return new Attribution(
          within,
          HOLDOUT,
          null,
          holdoutEnrolledAt,
          windowDays,
          (within ? "within " : "more than ")
              + days(windowDays)
              + " after the lead was enrolled in the holdout");
    }
    if (lastMessage == null) {
      return new Attribution(
          false, null, null, null, windowDays, "no message was sent to the lead before it");
    }
    boolean within = !occurredAt.isAfter(lastMessage.sentAt().plus(window));
    return new Attribution(
        within,
        MESSAGE,
        lastMessage.step(),
        lastMessage.sentAt(),
        windowDays,
        (within ? "within " : "more than ")
            + days(windowDays)
            + " after the last message ("
            + lastMessage.step()
            + ")");
  }

  private static String days(int days) {
    return days == 1 ? "1 day" : days + " days";
  }
}
