package dev.sequencer.store.contact;

import dev.sequencer.store.suppression.SuppressionHash;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What the store holds about one contact beyond its row: the leads that are the contact (made from
 * it, or carrying its address or number in any of the organization's campaigns), its events, the
 * replies that came from its addresses and their suppression entries. Export and erasure find the
 * same things through here.
 */
@Repository
public class ContactRecords {

  /** One of the contact's events as it was recorded. */
  public record Event(
      String eventId, String type, String properties, Instant occurredAt, Instant receivedAt) {}

  /** A reply, bounce or STOP that came from one of the contact's addresses. */
  public record Inbound(
      String source, String from, String subject, String classification, Instant receivedAt) {}

  /** A suppression entry of one of the contact's addresses (or of its erased hash). */
  public record Suppression(String channel, String address, String source, Instant createdAt) {}

  /** A change to the suppression list for one of the contact's addresses. */
  public record AuditEntry(
      Instant at, String channel, String address, String action, String source, String detail) {}

  private final JdbcClient jdbc;

  public ContactRecords(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The keys of the organization's leads that are this contact, oldest first. */
  public List<Long> leadKeys(Contact contact) {
    return jdbc.sql(
            "select id from leads where organization_id = :org"
                + " and (contact_pk = :pk or email = :email or phone = :phone) order by id")
        .param("org", contact.organizationId())
        .param("pk", contact.pk())
        .param("email", contact.email())
        .param("phone", contact.phone())
        .query(Long.class)
        .list();
  }

  public List<Event> events(long contactPk) {
    return jdbc.sql(
            "select event_id, type, properties::text, occurred_at, received_at"
                + " from contact_events where contact_pk = ? order by occurred_at, id")
        .param(contactPk)
        .query(
            (rs, i) ->
                new Event(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    instant(rs, 4),
                    instant(rs, 5)))
        .list();
  }

  /** Inbound messages of the organization from any of {@code addresses}. */
  public List<Inbound> inbound(String organizationId, Collection<String> addresses) {
    List<String> patterns = patterns(addresses);
    if (patterns.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            "select source, from_address, subject, classification, received_at"
                + " from inbound_messages where organization_id = :org"
                + " and from_address ilike any (cast(:patterns as text[])) order by received_at, id")
        .param("org", organizationId)
        .param("patterns", patterns.toArray(String[]::new))
        .query(
            (rs, i) ->
                new Inbound(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    instant(rs, 5)))
        .list();
  }

  public List<Suppression> suppressions(String organizationId, Collection<String> addresses) {
    List<String> keys = withHashes(addresses);
    if (keys.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            "select channel, address, source, created_at from suppressions"
                + " where organization_id = :org and address in (:keys) order by created_at, address")
        .param("org", organizationId)
        .param("keys", keys)
        .query(
            (rs, i) ->
                new Suppression(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4)))
        .list();
  }

  public List<AuditEntry> suppressionAudit(String organizationId, Collection<String> addresses) {
    List<String> keys = withHashes(addresses);
    if (keys.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            "select at, channel, address, action, source, detail from suppression_audit"
                + " where organization_id = :org and address in (:keys) order by at, id")
        .param("org", organizationId)
        .param("keys", keys)
        .query(
            (rs, i) ->
                new AuditEntry(
                    instant(rs, 1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6)))
        .list();
  }

  /** How many signals for these workflows wait in the outbox. */
  public long pendingSignals(Collection<String> workflowIds) {
    if (workflowIds.isEmpty()) {
      return 0;
    }
    return jdbc.sql("select count(*) from signal_outbox where workflow_id in (:ids)")
        .param("ids", workflowIds)
        .query(Long.class)
        .single();
  }

  /** The addresses and their erased forms. */
  static List<String> withHashes(Collection<String> addresses) {
    List<String> keys = new ArrayList<>();
    for (String address : addresses) {
      if (address != null) {
        keys.add(address);
        keys.add(SuppressionHash.of(address));
      }
    }
    return keys;
  }

  /**
   * ILIKE patterns that find an address in a From: field, bare or as {@code Name <address>}, with
   * any {@code %}, {@code _} and {@code \} of the address literal.
   */
  static List<String> patterns(Collection<String> addresses) {
    return addresses.stream()
        .filter(Objects::nonNull)
        .map(a -> a.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"))
        .map(a -> "%" + a + "%")
        .toList();
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp at = rs.getTimestamp(column);
    return at == null ? null : at.toInstant();
  }
}
