package dev.sequencer.store.sender;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * How much a sender may send, across all of its organization's campaigns.
 *
 * @param dailyLimit sends per day of {@code timezone}; null: no limit
 * @param rampStart sends on the ramp's first day; null: the full limit from the start
 * @param rampIncrease sends added each day after the first, up to the limit
 * @param rampFrom the ramp's first day (the day the sender was registered or its ramp last set)
 * @param minSpacingSeconds least time between two of its sends; null: none
 * @param timezone the zone whose days the limit counts
 */
public record SenderCapacity(
    Integer dailyLimit,
    Integer rampStart,
    Integer rampIncrease,
    LocalDate rampFrom,
    Integer minSpacingSeconds,
    String timezone) {

  public static SenderCapacity unlimited() {
    return new SenderCapacity(null, null, null, null, null, "UTC");
  }

  public boolean limited() {
    return dailyLimit != null || minSpacingSeconds != null;
  }

  public ZoneId zone() {
    return ZoneId.of(timezone);
  }

  /**
   * The sends allowed on {@code day}: the daily limit, or while ramping up the ramp's start plus
   * its increase for every day since its first, whichever is less; {@link Integer#MAX_VALUE} for a
   * sender without a limit.
   */
  public int limitOn(LocalDate day) {
    if (dailyLimit == null) {
      return Integer.MAX_VALUE;
    }
    if (rampStart == null || rampFrom == null) {
      return dailyLimit;
    }
    long days = Math.max(0, ChronoUnit.DAYS.between(rampFrom, day));
    long ramped = rampStart + days * (rampIncrease == null ? 0 : rampIncrease);
    return (int) Math.min(dailyLimit, ramped);
  }
}
