package dev.sequencer.store.contact;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The contact books of every organization, keyed by organization and the caller's contact id. */
@Repository
public class Contacts {

  static final String COLUMNS =
      "id, organization_id, contact_id, email, phone, first_name, last_name, company, title,"
          + " timezone, tags, attributes::text, last_contacted_at, created_at, updated_at";

  private static final TypeReference<Map<String, Object>> ATTRIBUTES = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final RowMapper<Contact> rows;

  public Contacts(JdbcClient jdbc) {
    this.jdbc = jdbc;
    this.json = JsonMapper.shared();
    this.rows = this::contactOf;
  }

  /**
   * Inserts each contact, or replaces the fields of the organization's contact with its id (tags
   * and attributes included; the contact keeps its key, creation time and last contact).
   *
   * @return the stored contacts' keys, in order
   */
  public List<Long> upsert(List<Contact> contacts) {
    List<Long> keys = new ArrayList<>(contacts.size());
    for (Contact c : contacts) {
      keys.add(
          jdbc.sql(
                  """
                  insert into contacts (organization_id, contact_id, email, phone, first_name,
                                        last_name, company, title, timezone, tags, attributes,
                                        created_at, updated_at)
                  values (:org, :id, :email, :phone, :first, :last, :company, :title, :zone,
                          :tags, cast(:attributes as jsonb), :at, :at)
                  on conflict (organization_id, contact_id) do update
                     set email = excluded.email, phone = excluded.phone,
                         first_name = excluded.first_name, last_name = excluded.last_name,
                         company = excluded.company, title = excluded.title,
                         timezone = excluded.timezone, tags = excluded.tags,
                         attributes = excluded.attributes, updated_at = excluded.updated_at
                  returning id
                  """)
              .param("org", c.organizationId())
              .param("id", c.contactId())
              .param("email", c.email())
              .param("phone", c.phone())
              .param("first", c.firstName())
              .param("last", c.lastName())
              .param("company", c.company())
              .param("title", c.title())
              .param("zone", c.timezone())
              .param("tags", c.tags().toArray(String[]::new))
              .param("attributes", json.writeValueAsString(c.attributes()))
              .param("at", Timestamp.from(c.updatedAt()))
              .query(Long.class)
              .single());
    }
    return keys;
  }

  public Optional<Contact> byContactId(String organizationId, String contactId) {
    return jdbc.sql(
            "select " + COLUMNS + " from contacts where organization_id = ? and contact_id = ?")
        .params(organizationId, contactId)
        .query(rows)
        .optional();
  }

  public Optional<Contact> byPk(long pk) {
    return jdbc.sql("select " + COLUMNS + " from contacts where id = ?")
        .param(pk)
        .query(rows)
        .optional();
  }

  /** The organization's contact with this (normalised) email address, the oldest if several. */
  public Optional<Contact> byEmail(String organizationId, String email) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from contacts where organization_id = ? and email = ? order by id limit 1")
        .params(organizationId, email)
        .query(rows)
        .optional();
  }

  /** The organization's contact with this E.164 number, the oldest if several. */
  public Optional<Contact> byPhone(String organizationId, String phone) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from contacts where organization_id = ? and phone = ? order by id limit 1")
        .params(organizationId, phone)
        .query(rows)
        .optional();
  }

  /** Maps a row selected with {@link #COLUMNS}. */
  Contact contactOf(ResultSet rs, int row) throws SQLException {
    Array tags = rs.getArray(11);
    Timestamp lastContacted = rs.getTimestamp(13);
    return new Contact(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getString(9),
        rs.getString(10),
        tags == null ? List.of() : Arrays.asList((String[]) tags.getArray()),
        json.readValue(rs.getString(12), ATTRIBUTES),
        lastContacted == null ? null : lastContacted.toInstant(),
        rs.getTimestamp(14).toInstant(),
        rs.getTimestamp(15).toInstant());
  }
}
