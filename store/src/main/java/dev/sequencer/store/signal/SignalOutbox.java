package dev.sequencer.store.signal;

import java.time.Duration;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Signals waiting to be delivered to their workflows. A change adds its signal in its own
 * transaction; a dispatcher claims signals for a while, delivers them and deletes them. A claim
 * that runs out (its dispatcher died) makes the signal claimable again: a signal may be delivered
 * twice, never lost, and the workflows take a repeated signal as a no-op.
 */
@Repository
public class SignalOutbox {

  private final JdbcClient jdbc;

  public SignalOutbox(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Adds a signal; part of the caller's transaction when there is one. */
  public void add(String workflowId, String signal, byte[] arguments) {
    jdbc.sql("insert into signal_outbox (workflow_id, signal, arguments) values (?, ?, ?)")
        .params(workflowId, signal, arguments)
        .update();
  }

  /**
   * Claims up to {@code limit} signals that are due, for {@code lease}: at most one of each
   * workflow, and only a workflow's oldest, so one workflow's signals arrive in the order they were
   * committed however many dispatchers run.
   */
  public List<PendingSignal> claim(int limit, Duration lease) {
    return jdbc.sql(
            """
            update signal_outbox s
               set claimed_until = now() + :lease * interval '1 millisecond',
                   attempts = s.attempts + 1
             where s.id in (
                   select o.id from signal_outbox o
                    where o.not_before <= now()
                      and (o.claimed_until is null or o.claimed_until < now())
                      and not exists (select 1 from signal_outbox e
                                       where e.workflow_id = o.workflow_id and e.id < o.id)
                    order by o.id
                    limit :limit
                      for update skip locked)
            returning s.id, s.workflow_id, s.signal, s.arguments, s.attempts
            """)
        .param("lease", lease.toMillis())
        .param("limit", limit)
        .query(
            (rs, n) ->
                new PendingSignal(
                    rs.getLong("id"),
                    rs.getString("workflow_id"),
                    rs.getString("signal"),
                    rs.getBytes("arguments"),
                    rs.getInt("attempts")))
        .list();
  }

  /** Removes delivered signals (and those whose workflow has ended). */
  public void delivered(List<Long> ids) {
    if (ids.isEmpty()) {
      return;
    }
    jdbc.sql("delete from signal_outbox where id = any(?)")
        .param(ids.toArray(Long[]::new))
        .update();
  }

  /** Gives a signal Temporal did not take back to the outbox, due again after {@code delay}. */
  public void retryLater(long id, Duration delay) {
    jdbc.sql(
            """
            update signal_outbox
               set claimed_until = null, not_before = now() + ? * interval '1 millisecond'
             where id = ?
            """)
        .params(delay.toMillis(), id)
        .update();
  }

  /** Signals not yet delivered, for health and metrics. */
  public long pending() {
    return jdbc.sql("select count(*) from signal_outbox").query(Long.class).single();
  }
}
