package dev.sequencer.store.webhook;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The deliveries of webhook events to endpoints: the queue each endpoint's workflow works through,
 * and the delivery log. A key's deliveries (one lead's, one campaign's) go out one at a time in the
 * order their causes committed: only the oldest pending one of a key is ever due.
 */
@Repository
public class WebhookDeliveries {

  private static final String HEAD =
      " not exists (select 1 from webhook_deliveries p where p.endpoint_id = d.endpoint_id"
          + " and p.ordering_key = d.ordering_key and p.status = 'pending' and p.id < d.id)";

  private final JdbcClient jdbc;

  public WebhookDeliveries(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Up to {@code limit} deliveries due at {@code now}, each the head of its key, oldest first. */
  public List<DueDelivery> due(String endpointId, Instant now, int limit) {
    return jdbc.sql(
            "select d.id, d.event_id, e.payload::text as body, d.attempts, d.first_attempt_at"
                + " from webhook_deliveries d join webhook_events e on e.id = d.event_id"
                + " where d.endpoint_id = ? and d.status = 'pending' and d.next_attempt_at <= ?"
                + " and"
                + HEAD
                + " order by d.id limit ?")
        .params(endpointId, Timestamp.from(now), limit)
        .query(
            (rs, n) ->
                new DueDelivery(
                    rs.getLong("id"),
                    rs.getString("event_id"),
                    rs.getString("body"),
                    rs.getInt("attempts"),
                    WebhookEndpoints.instant(rs, "first_attempt_at")))
        .list();
  }

  /** When the endpoint's next delivery falls due; empty when it has none pending. */
  public Optional<Instant> nextDue(String endpointId) {
    return Optional.ofNullable(
        jdbc.sql(
                "select min(d.next_attempt_at) from webhook_deliveries d"
                    + " where d.endpoint_id = ? and d.status = 'pending' and"
                    + HEAD)
            .param(endpointId)
            .query((rs, n) -> WebhookEndpoints.instant(rs, "min"))
            .single());
  }

  /** Records a round's attempts in one transaction. */
  @Transactional
  public void record(List<AttemptOutcome> outcomes, Instant at) {
    Timestamp when = Timestamp.from(at);
    for (AttemptOutcome o : outcomes) {
      jdbc.sql(
              """
              update webhook_deliveries
                 set status = ?, attempts = attempts + 1, response_status = ?, last_error = ?,
                     last_attempt_at = ?, first_attempt_at = coalesce(first_attempt_at, ?),
                     next_attempt_at = coalesce(?, next_attempt_at)
               where id = ? and status = 'pending'
              """)
          .params(
              o.status(),
              o.responseStatus(),
              o.error(),
              when,
              when,
              o.nextAttemptAt() == null ? null : Timestamp.from(o.nextAttemptAt()),
              o.deliveryId())
          .update();
    }
  }

  /** The endpoint's delivery log, newest first. */
  public List<WebhookDelivery> log(String endpointId, String status, int limit, long offset) {
    return jdbc.sql(
            "select d.*, e.type from webhook_deliveries d join webhook_events e on e.id ="
                + " d.event_id where d.endpoint_id = :endpoint"
                + " and (cast(:status as text) is null or d.status = :status)"
                + " order by d.id desc limit :limit offset :offset")
        .param("endpoint", endpointId)
        .param("status", status)
        .param("limit", limit)
        .param("offset", offset)
        .query(WebhookDeliveries::delivery)
        .list();
  }

  public long count(String endpointId, String status) {
    return jdbc.sql(
            "select count(*) from webhook_deliveries where endpoint_id = :endpoint"
                + " and (cast(:status as text) is null or status = :status)")
        .param("endpoint", endpointId)
        .param("status", status)
        .query(Long.class)
        .single();
  }

  public Optional<WebhookDelivery> find(String endpointId, long id) {
    return jdbc.sql(
            "select d.*, e.type from webhook_deliveries d join webhook_events e on e.id ="
                + " d.event_id where d.endpoint_id = ? and d.id = ?")
        .params(endpointId, id)
        .query(WebhookDeliveries::delivery)
        .optional();
  }

  /**
   * Queues a delivery that was given up (or succeeded) again, due at once with a fresh day of
   * attempts; it keeps its place behind its key's older pending deliveries.
   */
  public boolean retry(String endpointId, long id, Instant now) {
    return jdbc.sql(
                "update webhook_deliveries set status = 'pending', next_attempt_at = ?,"
                    + " first_attempt_at = null, attempts = 0 where endpoint_id = ? and id = ?"
                    + " and status <> 'pending'")
            .params(Timestamp.from(now), endpointId, id)
            .update()
        == 1;
  }

  /** The newest delivery id, where the wake-ups start looking for new ones. */
  public long newestDelivery() {
    return jdbc.sql("select coalesce(max(id), 0) from webhook_deliveries")
        .query(Long.class)
        .single();
  }

  /**
   * Endpoints with deliveries queued after {@code afterId}, with the newest such id of each: whose
   * workflows a wake-up is owed.
   */
  public Map<String, Long> queuedAfter(long afterId) {
    Map<String, Long> endpoints = new java.util.LinkedHashMap<>();
    jdbc.sql(
            "select d.endpoint_id, max(d.id) as newest from webhook_deliveries d"
                + " join webhook_endpoints e on e.id = d.endpoint_id and e.status = 'active'"
                + " where d.status = 'pending' and d.id > ? group by d.endpoint_id")
        .param(afterId)
        .query(
            rs -> {
              endpoints.put(rs.getString("endpoint_id"), rs.getLong("newest"));
            });
    return endpoints;
  }

  /**
   * Active endpoints whose next delivery has been due for longer than {@code grace}: their workflow
   * should have sent it by now, so it may not be running.
   */
  public List<String> overdue(java.time.Duration grace) {
    return jdbc.sql(
            "select distinct d.endpoint_id from webhook_deliveries d"
                + " join webhook_endpoints e on e.id = d.endpoint_id and e.status = 'active'"
                + " where d.status = 'pending'"
                + " and d.next_attempt_at < now() - ? * interval '1 millisecond' and"
                + HEAD)
        .param(grace.toMillis())
        .query(String.class)
        .list();
  }

  /**
   * Deletes up to {@code limit} events created before {@code before} that have nothing pending,
   * with their deliveries: the log keeps the retention period's worth.
   *
   * @return how many events were deleted
   */
  public int purgeBefore(Instant before, int limit) {
    return jdbc.sql(
            """
            delete from webhook_events where id in (
                select e.id from webhook_events e
                 where e.created_at < ?
                   and not exists (select 1 from webhook_deliveries d
                                    where d.event_id = e.id and d.status = 'pending')
                 limit ?)
            """)
        .params(Timestamp.from(before), limit)
        .update();
  }

  private static WebhookDelivery delivery(ResultSet rs, int n) throws SQLException {
    Integer response = rs.getObject("response_status", Integer.class);
    return new WebhookDelivery(
        rs.getLong("id"),
        rs.getString("event_id"),
        rs.getString("type"),
        rs.getString("status"),
        rs.getInt("attempts"),
        response,
        rs.getString("last_error"),
        WebhookEndpoints.instant(rs, "created_at"),
        WebhookEndpoints.instant(rs, "last_attempt_at"),
        WebhookEndpoints.instant(rs, "next_attempt_at"));
  }
}
