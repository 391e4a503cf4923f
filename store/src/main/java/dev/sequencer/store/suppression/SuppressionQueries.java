package dev.sequencer.store.suppression;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The suppression list and its audit trail as support staff read them: searched, paged, exported.
 */
@Repository
public class SuppressionQueries {

  /** One suppressed address or number. */
  public record Suppressed(String channel, String address, String source, Instant createdAt) {}

  /** One change to the list: who or what opted the address out or back in, and why. */
  public record AuditEntry(
      Instant at, String channel, String address, String action, String source, String detail) {}

  private final JdbcClient jdbc;

  public SuppressionQueries(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * @param search part of the address, any case; null for all
   * @param channel {@code EMAIL}, {@code SMS} or null for both
   */
  public List<Suppressed> page(
      String organizationId, String search, String channel, int limit, long offset) {
    return jdbc.sql(
            "select channel, address, source, created_at from suppressions"
                + WHERE
                + " order by created_at desc, address limit :limit offset :offset")
        .param("org", organizationId)
        .param("pattern", pattern(search))
        .param("channel", channel)
        .param("limit", limit)
        .param("offset", offset)
        .query(SuppressionQueries::suppressed)
        .list();
  }

  public long count(String organizationId, String search, String channel) {
    return jdbc.sql("select count(*) from suppressions" + WHERE)
        .param("org", organizationId)
        .param("pattern", pattern(search))
        .param("channel", channel)
        .query(Long.class)
        .single();
  }

  /** Every match, oldest first, one row at a time: an export may hold the whole list. */
  public void each(String organizationId, String search, String channel, Consumer<Suppressed> row) {
    // The stream holds its connection until it is closed.
    try (java.util.stream.Stream<Suppressed> rows =
        jdbc
            .sql(
                "select channel, address, source, created_at from suppressions"
                    + WHERE
                    + " order by created_at, address")
            .param("org", organizationId)
            .param("pattern", pattern(search))
            .param("channel", channel)
            .query(SuppressionQueries::suppressed)
            .stream()) {
      rows.forEach(row);
    }
  }

  /** The audit trail, newest first, of the addresses that match. */
  public List<AuditEntry> audit(
      String organizationId, String search, String channel, int limit, long offset) {
    return jdbc.sql(
            "select at, channel, address, action, source, detail from suppression_audit"
                + WHERE
                + " order by at desc, id desc limit :limit offset :offset")
        .param("org", organizationId)
        .param("pattern", pattern(search))
        .param("channel", channel)
        .param("limit", limit)
        .param("offset", offset)
        .query(
            (rs, i) ->
                new AuditEntry(
                    rs.getTimestamp("at").toInstant(),
                    rs.getString("channel"),
                    rs.getString("address"),
                    rs.getString("action"),
                    rs.getString("source"),
                    rs.getString("detail")))
        .list();
  }

  public long auditCount(String organizationId, String search, String channel) {
    return jdbc.sql("select count(*) from suppression_audit" + WHERE)
        .param("org", organizationId)
        .param("pattern", pattern(search))
        .param("channel", channel)
        .query(Long.class)
        .single();
  }

  private static final String WHERE =
      " where organization_id = :org"
          + " and (cast(:pattern as text) is null or address ilike :pattern escape '\\')"
          + " and (cast(:channel as text) is null or channel = :channel)";

  /**
   * A substring pattern for ILIKE, with the caller's {@code %}, {@code _} and {@code \} literal.
   */
  private static String pattern(String search) {
    if (search == null || search.isBlank()) {
      return null;
    }
    String literal = search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    return "%" + literal + "%";
  }

  private static Suppressed suppressed(java.sql.ResultSet rs, int row)
      throws java.sql.SQLException {
    return new Suppressed(
        rs.getString("channel"),
        rs.getString("address"),
        rs.getString("source"),
        rs.getTimestamp("created_at").toInstant());
  }
}
