package dev.sequencer.store.quota;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A table of units per key and day ({@code daily_quota} per campaign, {@code sender_quota} per
 * sender). One conditional upsert takes a unit, so a limit holds however many workers race for the
 * last one.
 */
final class QuotaTable implements DaySlots {

  private final JdbcClient jdbc;
  private final String table;
  private final String key;

  QuotaTable(JdbcClient jdbc, String table, String key) {
    this.jdbc = jdbc;
    this.table = table;
    this.key = key;
  }

  boolean reserve(String id, LocalDate day, int limit) {
    if (limit <= 0) {
      return false;
    }
    return jdbc.sql(
            ("insert into %1$s (%2$s, day, used) values (?, ?, 1)"
                    + " on conflict (%2$s, day) do update set used = %1$s.used + 1"
                    + " where %1$s.used < ? returning used")
                .formatted(table, key))
        .params(id, day, limit)
        .query(Integer.class)
        .optional()
        .isPresent();
  }

  @Override
  public Optional<Instant> takeSlot(
      String id, LocalDate day, int limit, Instant earliest, Duration spacing, Instant end) {
    if (limit <= 0 || !earliest.isBefore(end)) {
      return Optional.empty();
    }
    return jdbc.sql(
            """
            insert into %1$s as q (%2$s, day, used, next_slot_at)
            values (:id, :day, 1, cast(:earliest as timestamptz) + :spacing * interval '1 millisecond')
            on conflict (%2$s, day) do update
               set used = q.used + 1,
                   next_slot_at = greatest(q.next_slot_at, cast(:earliest as timestamptz))
                                  + :spacing * interval '1 millisecond'
             where q.used < :limit
               and greatest(q.next_slot_at, cast(:earliest as timestamptz)) < cast(:end as timestamptz)
            returning next_slot_at - :spacing * interval '1 millisecond'
            """
                .formatted(table, key))
        .param("id", id)
        .param("day", day)
        .param("earliest", Timestamp.from(earliest))
        .param("spacing", spacing.toMillis())
        .param("limit", limit)
        .param("end", Timestamp.from(end))
        .query((rs, n) -> rs.getTimestamp(1).toInstant())
        .optional();
  }

  void release(String id, LocalDate day) {
    jdbc.sql(
            "update %s set used = used - 1 where %s = ? and day = ? and used > 0"
                .formatted(table, key))
        .params(id, day)
        .update();
  }

  List<DailyQuota.DayUsage> usageFrom(String id, LocalDate from) {
    return jdbc.sql(
            "select day, used, next_slot_at from %s where %s = ? and day >= ? order by day"
                .formatted(table, key))
        .params(id, from)
        .query(
            (rs, n) ->
                new DailyQuota.DayUsage(
                    rs.getObject(1, LocalDate.class),
                    rs.getInt(2),
                    rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()))
        .list();
  }

  int used(String id, LocalDate day) {
    return jdbc.sql(
            "select coalesce(max(used), 0) from %s where %s = ? and day = ?".formatted(table, key))
        .params(id, day)
        .query(Integer.class)
        .single();
  }
}
