package dev.sequencer.store.trigger;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Finds or creates the contact an event names, and locks it for the rest of the transaction: the
 * events of one contact are decided one after the other, so two at once cannot both pass its
 * frequency limit or both enrol it.
 */
@Repository
public class EventContacts {

  private final JdbcClient jdbc;

  public EventContacts(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A contact an event names by id, with the address and number it gives. */
  public record Named(String organizationId, String contactId, String email, String phone) {}

  /**
   * Creates, in one statement, each of these contacts that does not exist yet, with the event's
   * address and number; one that exists keeps its own.
   */
  public void createMissing(List<Named> contacts, Instant now) {
    if (contacts.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            insert into contacts (organization_id, contact_id, email, phone, created_at, updated_at)
            select o, c, e, p, ?, ? from unnest(?::text[], ?::text[], ?::text[], ?::text[])
                                      as u(o, c, e, p)
            order by o, c
            on conflict (organization_id, contact_id) do nothing
            """)
        .params(
            Timestamp.from(now),
            Timestamp.from(now),
            contacts.stream().map(Named::organizationId).toArray(String[]::new),
            contacts.stream().map(Named::contactId).toArray(String[]::new),
            contacts.stream().map(Named::email).toArray(String[]::new),
            contacts.stream().map(Named::phone).toArray(String[]::new))
        .update();
  }

  /** The contact with this id, created with the given address and number if new; locked. */
  public long lockOrCreateById(
      String organizationId, String contactId, String email, String phone, Instant now) {
    jdbc.sql(
            """
            insert into contacts (organization_id, contact_id, email, phone, created_at, updated_at)
            values (?, ?, ?, ?, ?, ?)
            on conflict (organization_id, contact_id) do nothing
            """)
        .params(organizationId, contactId, email, phone, Timestamp.from(now), Timestamp.from(now))
        .update();
    return jdbc.sql(
            "select id from contacts where organization_id = ? and contact_id = ? for update")
        .params(organizationId, contactId)
        .query(Long.class)
        .single();
  }

  /**
   * The organization's (oldest) contact with this email address or number, or a new one with {@code
   * newContactId}; locked. Events naming a new address at the same time make one contact.
   *
   * @param column {@code email} or {@code phone}
   */
  public long lockOrCreateByAddress(
      String organizationId, String column, String address, String newContactId, Instant now) {
    if (!column.equals("email") && !column.equals("phone")) {
      throw new IllegalArgumentException(column);
    }
    jdbc.sql("select pg_advisory_xact_lock(hashtext(?))")
        .param(organizationId + "|" + column + "|" + address)
        .query((rs, row) -> 1)
        .single();
    Optional<Long> found =
        jdbc.sql(
                "select id from contacts where organization_id = ? and "
                    + column
                    + " = ? order by id limit 1 for update")
            .params(organizationId, address)
            .query(Long.class)
            .optional();
    if (found.isPresent()) {
      return found.get();
    }
    return lockOrCreateById(
        organizationId,
        newContactId,
        column.equals("email") ? address : null,
        column.equals("phone") ? address : null,
        now);
  }
}
