package dev.sequencer.store.webhook;

import dev.sequencer.store.Ids;
import dev.sequencer.store.sender.SecretBox;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The webhook endpoints of every organization; their secrets are sealed at rest. */
@Repository
public class WebhookEndpoints {

  private static final String COLUMNS =
      "id, organization_id, url, events, secret, status, failing_since, disabled_at,"
          + " disabled_reason, created_at";

  private final JdbcClient jdbc;
  private final SecretBox secrets;

  public WebhookEndpoints(JdbcClient jdbc, SecretBox secrets) {
    this.jdbc = jdbc;
    this.secrets = secrets;
  }

  public WebhookEndpoint create(
      String organizationId, String url, List<String> events, String secret) {
    String id = Ids.next("whk");
    jdbc.sql(
            "insert into webhook_endpoints (id, organization_id, url, events, secret)"
                + " values (?, ?, ?, ?, ?)")
        .params(id, organizationId, url, events.toArray(String[]::new), secrets.seal(secret))
        .update();
    return find(organizationId, id).orElseThrow();
  }

  /** The organization's endpoint, unless deleted. */
  public Optional<WebhookEndpoint> find(String organizationId, String id) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from webhook_endpoints where id = ? and organization_id = ?"
                + " and status <> 'deleted'")
        .params(id, organizationId)
        .query(this::endpoint)
        .optional();
  }

  /** The endpoint whatever its organization, unless deleted: for its delivery workflow. */
  public Optional<WebhookEndpoint> find(String id) {
    return jdbc.sql(
            "select " + COLUMNS + " from webhook_endpoints where id = ? and status <> 'deleted'")
        .param(id)
        .query(this::endpoint)
        .optional();
  }

  public List<WebhookEndpoint> of(String organizationId) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from webhook_endpoints where organization_id = ? and status <> 'deleted'"
                + " order by created_at, id")
        .param(organizationId)
        .query(this::endpoint)
        .list();
  }

  /**
   * Deletes the endpoint: no new event is queued for it, and what it had pending is dropped. Its
   * row stays (marked deleted) so that its delivery log keeps its references.
   */
  @org.springframework.transaction.annotation.Transactional
  public boolean delete(String organizationId, String id) {
    boolean deleted =
        jdbc.sql(
                    "update webhook_endpoints set status = 'deleted', deleted_at = now()"
                        + " where id = ? and organization_id = ? and status <> 'deleted'")
                .params(id, organizationId)
                .update()
            == 1;
    if (deleted) {
      jdbc.sql(
              "update webhook_deliveries set status = 'failed', last_error = 'endpoint deleted'"
                  + " where endpoint_id = ? and status = 'pending'")
          .param(id)
          .update();
    }
    return deleted;
  }

  /** Turns a disabled endpoint on again; its pending deliveries start a fresh day of attempts. */
  @org.springframework.transaction.annotation.Transactional
  public boolean enable(String organizationId, String id, Instant now) {
    boolean enabled =
        jdbc.sql(
                    "update webhook_endpoints set status = 'active', failing_since = null,"
                        + " disabled_at = null, disabled_reason = null"
                        + " where id = ? and organization_id = ? and status = 'disabled'")
                .params(id, organizationId)
                .update()
            == 1;
    if (enabled) {
      jdbc.sql(
              "update webhook_deliveries set first_attempt_at = null, attempts = 0,"
                  + " next_attempt_at = ? where endpoint_id = ? and status = 'pending'")
          .params(Timestamp.from(now), id)
          .update();
    }
    return enabled;
  }

  /** Records that an attempt succeeded: the endpoint is not failing any more. */
  public void succeeded(String id) {
    jdbc.sql(
            "update webhook_endpoints set failing_since = null"
                + " where id = ? and failing_since is not null")
        .param(id)
        .update();
  }

  /**
   * Records that every attempt of a round failed, and disables the endpoint once it has failed for
   * {@code disableAfter}.
   *
   * @return whether the endpoint is disabled now
   */
  public boolean failed(String id, Instant now, java.time.Duration disableAfter, String lastError) {
    Instant since =
        jdbc.sql(
                "update webhook_endpoints set failing_since = coalesce(failing_since, ?)"
                    + " where id = ? and status = 'active' returning failing_since")
            .params(Timestamp.from(now), id)
            .query((rs, n) -> rs.getTimestamp(1).toInstant())
            .optional()
            .orElse(null);
    if (since == null || since.plus(disableAfter).isAfter(now)) {
      return false;
    }
    String reason =
        "every delivery failed for "
            + disableAfter.toHours()
            + " hours (since "
            + since
            + "); last error: "
            + lastError;
    return jdbc.sql(
                "update webhook_endpoints set status = 'disabled', disabled_at = ?,"
                    + " disabled_reason = ? where id = ? and status = 'active'")
            .params(Timestamp.from(now), reason, id)
            .update()
        == 1;
  }

  private WebhookEndpoint endpoint(ResultSet rs, int n) throws SQLException {
    return new WebhookEndpoint(
        rs.getString("id"),
        rs.getString("organization_id"),
        rs.getString("url"),
        Arrays.asList((String[]) rs.getArray("events").getArray()),
        secrets.open(rs.getString("secret")),
        rs.getString("status"),
        instant(rs, "failing_since"),
        instant(rs, "disabled_at"),
        rs.getString("disabled_reason"),
        instant(rs, "created_at"));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp at = rs.getTimestamp(column);
    return at == null ? null : at.toInstant();
  }
}
