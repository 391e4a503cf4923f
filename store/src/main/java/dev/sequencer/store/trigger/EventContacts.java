package dev.sequencer.store.trigger;

import java.sql.Timestamp;
import java.time.Instant;
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
