package dev.sequencer.store.quota;

import java.time.LocalDate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A campaign's sends per calendar day. One conditional upsert reserves a unit, so the limit holds
 * however many workers race for the last one.
 */
@Repository
public class DailyQuota {

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

  /** Gives back a unit whose send did not happen. */
  public void release(String campaignId, LocalDate day) {
    jdbc.sql(
            "update daily_quota set used = used - 1 where campaign_id = ? and day = ? and used > 0")
        .params(campaignId, day)
        .update();
  }

  public int used(String campaignId, LocalDate day) {
    return jdbc.sql(
            "select coalesce(max(used), 0) from daily_quota where campaign_id = ? and day = ?")
        .params(campaignId, day)
        .query(Integer.class)
        .single();
  }
}
