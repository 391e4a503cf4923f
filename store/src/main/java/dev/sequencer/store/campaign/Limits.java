package dev.sequencer.store.campaign;

import org.springframework.data.annotation.PersistenceCreator;

/**
 * Sending limits; a null field means no limit of that kind.
 *
 * @param minSpacingSeconds the least time between two sends of the campaign inside a day; null
 *     means the send window's length divided by the daily limit
 */
public record Limits(
    Integer dailyLimit, Integer perMinute, Integer frequencyCapDays, Integer minSpacingSeconds) {

  @PersistenceCreator
  public Limits {}

  public Limits(Integer dailyLimit, Integer perMinute, Integer frequencyCapDays) {
    this(dailyLimit, perMinute, frequencyCapDays, null);
  }
}
