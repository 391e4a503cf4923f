package dev.sequencer.store.quota;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A campaign's sends per calendar day. One conditional upsert reserves a unit, so the limit holds
 * however many workers race for the last one.
 */
@Repository
public class DailyQuota implements DaySlots {

  private final QuotaTable table;

  public DailyQuota(JdbcClient jdbc) {
    this.table = new QuotaTable(jdbc, "daily_quota", "quota_key");
  }

  /** Takes one unit of {@code day}'s quota; false when {@code limit} units are already taken. */
  public boolean reserve(String campaignId, LocalDate day, int limit) {
    return table.reserve(campaignId, day, limit);
  }

  @Override
  public Optional<Instant> takeSlot(
      String campaignId,
      LocalDate day,
      int limit,
      Instant earliest,
      Duration spacing,
      Instant end) {
    return table.takeSlot(campaignId, day, limit, earliest, spacing, end);
  }

  /** Gives back a unit whose send did not happen. */
  public void release(String campaignId, LocalDate day) {
    table.release(campaignId, day);
  }

  /** A day's units taken and the earliest instant of its next slot (null before slots existed). */
  public record DayUsage(LocalDate day, int used, Instant nextSlotAt) {}

  /** The campaign's days from {@code from} on that have units taken, in date order. */
  public List<DayUsage> usageFrom(String campaignId, LocalDate from) {
    return table.usageFrom(campaignId, from);
  }

  public int used(String campaignId, LocalDate day) {
    return table.used(campaignId, day);
  }
}
