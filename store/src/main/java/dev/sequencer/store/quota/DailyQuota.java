package dev.sequencer.store.quota;

import java.sql.Timestamp;
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

  private final JdbcClient jdbc;

  public DailyQuota(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Takes one unit of {@code day}'s quota; false when {@code limit} units are already taken. */
  public boolean reserve(String campaignId, LocalDate day, int limit) {
    if (limit <= 0) {
      return false;
    }
    return jdbc.sql(
            """
            insert into daily_quota (campaign_id, day, used) values (?, ?, 1)
            on conflict (campaign_id, day) do update set used = daily_quota.used + 1
             where daily_quota.used < ?
            returning used
            """)
        .params(campaignId, day, limit)
        .query(Integer.class)
        .optional()
        .isPresent();
  }

  @Override
  public Optional<Instant> takeSlot(
      String campaignId,
      LocalDate day,
      int limit,
      Instant earliest,
      Duration spacing,
      Instant end) {
    if (limit <= 0 || !earliest.isBefore(end)) {
      return Optional.empty();
    }
    return jdbc.sql(
            """
            insert into daily_quota as q (campaign_id, day, used, next_slot_at)
            values (:campaign, :day, 1, cast(:earliest as timestamptz) + :spacing * interval '1 millisecond')
            on conflict (campaign_id, day) do update
               set used = q.used + 1,
                   next_slot_at = greatest(q.next_slot_at, cast(:earliest as timestamptz))
                                  + :spacing * interval '1 millisecond'
             where q.used < :limit
               and greatest(q.next_slot_at, cast(:earliest as timestamptz)) < cast(:end as timestamptz)
            returning next_slot_at - :spacing * interval '1 millisecond'
            """)
        .param("campaign", campaignId)
        .param("day", day)
        .param("earliest", Timestamp.from(earliest))
        .param("spacing", spacing.toMillis())
        .param("limit", limit)
        .param("end", Timestamp.from(end))
        .query((rs, n) -> rs.getTimestamp(1).toInstant())
        .optional();
  }

  /** Gives back a unit whose send did not happen. */
  public void release(String campaignId, LocalDate day) {
    jdbc.sql(
            "update daily_quota set used = used - 1 where campaign_id = ? and day = ? and used > 0")
        .params(campaignId, day)
        .update();
  }

  /** A day's units taken and the earliest instant of its next slot (null before slots existed). */
  public record DayUsage(LocalDate day, int used, Instant nextSlotAt) {}

  /** The campaign's days from {@code from} on that have units taken, in date order. */
  public List<DayUsage> usageFrom(String campaignId, LocalDate from) {
    return jdbc.sql(
            "select day, used, next_slot_at from daily_quota where campaign_id = ? and day >= ?"
                + " order by day")
        .params(campaignId, from)
        .query(
            (rs, n) ->
                new DayUsage(
                    rs.getObject(1, LocalDate.class),
                    rs.getInt(2),
                    rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()))
        .list();
  }

  public int used(String campaignId, LocalDate day) {
    return jdbc.sql(
            "select coalesce(max(used), 0) from daily_quota where campaign_id = ? and day = ?")
        .params(campaignId, day)
        .query(Integer.class)
        .single();
  }
}
