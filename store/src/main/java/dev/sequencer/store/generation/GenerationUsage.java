package dev.sequencer.store.generation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Each organization's language-model budget: requests per minute and tokens per UTC day, taken
 * atomically before a call (so concurrent workers and replicas share it) and corrected after it.
 */
@Repository
public class GenerationUsage {

  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private final JdbcClient jdbc;

  public GenerationUsage(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Takes one request of the minute of {@code now}; false when the minute's are used up. */
  public boolean takeRequest(String organizationId, Instant now, int perMinute) {
    return take(
        organizationId,
        "minute:" + MINUTE.format(now.truncatedTo(ChronoUnit.MINUTES)),
        1,
        perMinute);
  }

  /** Reserves {@code tokens} of the day of {@code now}; false when they would exceed the day's. */
  public boolean takeTokens(String organizationId, Instant now, long tokens, long perDay) {
    return take(organizationId, "day:" + DAY.format(now), tokens, perDay);
  }

  /** Gives back what a reservation took beyond what the call used (negative: takes more). */
  public void returnTokens(String organizationId, Instant now, long tokens) {
    jdbc.sql(
            "update generation_usage set used = greatest(used - ?, 0)"
                + " where organization_id = ? and period = ?")
        .params(tokens, organizationId, "day:" + DAY.format(now))
        .update();
  }

  public long tokensUsed(String organizationId, Instant now) {
    return jdbc.sql(
            "select coalesce(max(used), 0) from generation_usage"
                + " where organization_id = ? and period = ?")
        .params(organizationId, "day:" + DAY.format(now))
        .query(Long.class)
        .single();
  }

  /**
   * Deletes the periods that ended before {@code before}'s day: the budget only ever reads the
   * current minute and day.
   *
   * @return rows deleted
   */
  public int pruneBefore(Instant before) {
    return jdbc.sql(
            "delete from generation_usage where (period like 'minute:%' and period < ?)"
                + " or (period like 'day:%' and period < ?)")
        .params(
            "minute:" + MINUTE.format(before.truncatedTo(ChronoUnit.MINUTES)),
            "day:" + DAY.format(before))
        .update();
  }

  private boolean take(String organizationId, String period, long amount, long limit) {
    if (amount > limit) {
      return false;
    }
    return jdbc.sql(
            """
            insert into generation_usage (organization_id, period, used) values (?, ?, ?)
            on conflict (organization_id, period) do update
               set used = generation_usage.used + excluded.used
             where generation_usage.used + excluded.used <= ?
            returning used
            """)
        .params(organizationId, period, amount, limit)
        .query(Long.class)
        .optional()
        .isPresent();
  }
}
