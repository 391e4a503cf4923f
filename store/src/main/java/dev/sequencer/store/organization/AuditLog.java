package dev.sequencer.store.organization;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Every mutating API call of an organization: who made it, on what, and how it ended. */
@Repository
public class AuditLog {

  private final JdbcClient jdbc;

  public AuditLog(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public void record(Entry entry) {
    jdbc.sql(
            "insert into audit_log (organization_id, at, key_id, method, path, status, target)"
                + " values (?, ?, ?, ?, ?, ?, ?)")
        .params(
            entry.organizationId(),
            java.sql.Timestamp.from(entry.at()),
            entry.keyId(),
            entry.method(),
            entry.path(),
            entry.status(),
            entry.target())
        .update();
  }

  /** Records these entries in one statement. */
  public void recordAll(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            insert into audit_log (organization_id, at, key_id, method, path, status, target)
            select * from unnest(?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[],
                                 ?::int[], ?::text[])
            """)
        .params(
            entries.stream().map(Entry::organizationId).toArray(String[]::new),
            entries.stream()
                .map(e -> java.sql.Timestamp.from(e.at()))
                .toArray(java.sql.Timestamp[]::new),
            entries.stream().map(Entry::keyId).toArray(String[]::new),
            entries.stream().map(Entry::method).toArray(String[]::new),
            entries.stream().map(Entry::path).toArray(String[]::new),
            entries.stream().map(Entry::status).toArray(Integer[]::new),
            entries.stream().map(Entry::target).toArray(String[]::new))
        .update();
  }

  /** The organization's entries, newest first. */
  public List<Entry> page(String organizationId, int limit, long offset) {
    return jdbc.sql(
            "select organization_id, at, key_id, method, path, status, target from audit_log"
                + " where organization_id = ? order by id desc limit ? offset ?")
        .params(organizationId, limit, offset)
        .query(
            (rs, i) ->
                new Entry(
                    rs.getString("organization_id"),
                    rs.getTimestamp("at").toInstant(),
                    rs.getString("key_id"),
                    rs.getString("method"),
                    rs.getString("path"),
                    rs.getInt("status"),
                    rs.getString("target")))
        .list();
  }

  public long count(String organizationId) {
    return jdbc.sql("select count(*) from audit_log where organization_id = ?")
        .param(organizationId)
        .query(Long.class)
        .single();
  }

  /**
   * @param target what the call acted on (a campaign, a lead, a key, an address), when known
   */
  public record Entry(
      String organizationId,
      Instant at,
      String keyId,
      String method,
      String path,
      int status,
      String target) {}
}
