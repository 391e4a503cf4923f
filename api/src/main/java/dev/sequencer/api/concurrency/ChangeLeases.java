package dev.sequencer.api.concurrency;

import dev.sequencer.api.error.ConcurrentChangeException;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Serialises the changes of one campaign across requests and processes, for changes that outlast
 * one transaction: a start waits for Temporal to take the run, a cancel for the hand-overs in
 * flight. A lock held across those waits would hold a pooled connection meanwhile; a lease row is
 * taken and given back in two autocommitted statements instead, and a request that finds it taken
 * is refused at once rather than queued.
 */
@Component
public class ChangeLeases {

  private static final Logger log = LoggerFactory.getLogger(ChangeLeases.class);

  /**
   * Longer than any change takes, Temporal's deadline included; a dead holder's lease ends then.
   */
  static final Duration LEASE = Duration.ofSeconds(30);

  private final JdbcClient jdbc;

  ChangeLeases(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Runs {@code change} as the only change of the campaign, or refuses it (409). */
  public <T> T campaign(String campaignId, Supplier<T> change) {
    return holding(
        "campaign:" + campaignId,
        "another change to this campaign is in progress; retry in a moment",
        change);
  }

  private <T> T holding(String key, String refusal, Supplier<T> change) {
    String holder = UUID.randomUUID().toString();
    if (!acquire(key, holder)) {
      throw new ConcurrentChangeException(refusal);
    }
    try {
      return change.get();
    } finally {
      release(key, holder);
    }
  }

  private boolean acquire(String key, String holder) {
    return jdbc.sql(
                """
                insert into change_leases (key, holder, expires_at)
                values (:key, :holder, now() + make_interval(secs => :seconds))
                on conflict (key) do update
                   set holder = excluded.holder, expires_at = excluded.expires_at
                 where change_leases.expires_at < now()
                """)
            .param("key", key)
            .param("holder", holder)
            .param("seconds", LEASE.toSeconds())
            .update()
        == 1;
  }

  private void release(String key, String holder) {
    try {
      jdbc.sql("delete from change_leases where key = ? and holder = ?")
          .params(key, holder)
          .update();
    } catch (RuntimeException e) {
      // The lease runs out by itself; the change itself is done.
      log.warn("could not give back the change lease {}; it expires in {}", key, LEASE, e);
    }
  }
}
