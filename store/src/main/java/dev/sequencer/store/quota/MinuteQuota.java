package dev.sequencer.store.quota;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** A campaign's sends per wall-clock minute ({@code limits.per_minute}), reserved atomically. */
@Repository
public class MinuteQuota {

  private final JdbcClient jdbc;

  public MinuteQuota(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Takes one unit of the minute starting at {@code minute}; false when it is used up. */
  public boolean reserve(String campaignId, Instant minute, int limit) {
    return jdbc.sql(
            """
            insert into minute_quota (quota_key, minute, used) values (?, ?, 1)
            on conflict (quota_key, minute) do update set used = minute_quota.used + 1
             where minute_quota.used < ?
            returning used
            """)
        .params(campaignId, Timestamp.from(minute), limit)
        .query(Integer.class)
        .optional()
        .isPresent();
  }

  public void release(String campaignId, Instant minute) {
    jdbc.sql(
            "update minute_quota set used = used - 1 where quota_key = ? and minute = ?"
                + " and used > 0")
        .params(campaignId, Timestamp.from(minute))
        .update();
  }
}
