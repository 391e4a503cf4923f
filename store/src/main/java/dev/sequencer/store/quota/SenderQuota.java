package dev.sequencer.store.quota;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A sender's sends per day of its own zone, across all of its organization's campaigns: the same
 * slots as a campaign's daily limit, keyed by sender.
 */
@Repository
public class SenderQuota implements DaySlots {

  private final QuotaTable table;

  public SenderQuota(JdbcClient jdbc) {
    this.table = new QuotaTable(jdbc, "sender_quota", "sender_id");
  }

  @Override
  public Optional<Instant> takeSlot(
      String senderId, LocalDate day, int limit, Instant earliest, Duration spacing, Instant end) {
    return table.takeSlot(senderId, day, limit, earliest, spacing, end);
  }

  public void release(String senderId, LocalDate day) {
    table.release(senderId, day);
  }

  public List<DailyQuota.DayUsage> usageFrom(String senderId, LocalDate from) {
    return table.usageFrom(senderId, from);
  }

  public int used(String senderId, LocalDate day) {
    return table.used(senderId, day);
  }
}
