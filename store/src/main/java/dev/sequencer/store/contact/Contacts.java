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
          + " timezone, tags, attributes::text, last_contacted_at, created_at, updated_at,"
          + " whatsapp";

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
                                        created_at, updated_at, whatsapp)
                  values (:org, :id, :email, :phone, :first, :last, :company, :title, :zone,
                          :tags, cast(:attributes as jsonb), :at, :at, :whatsapp)
                  on conflict (organization_id, contact_id) do update
                     set email = excluded.email, phone = excluded.phone,
                         whatsapp = excluded.whatsapp,
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
              .param("whatsapp", c.whatsapp())
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

  /**
   * Inserts or replaces the organization's contacts as {@link #upsert} does, in one statement: the
   * columns go as arrays and are unnested, so a batch of a thousand is one round trip. Each contact
   * id may appear once in {@code contacts}.
   *
   * @return how many rows were written
   */
  public int upsertAll(String organizationId, List<Contact> contacts, java.time.Instant at) {
    if (contacts.isEmpty()) {
      return 0;
    }
    int n = contacts.size();
    String[][] columns = new String[11][n];
    for (int i = 0; i < n; i++) {
      Contact c = contacts.get(i);
      columns[0][i] = c.contactId();
      columns[1][i] = c.email();
      columns[2][i] = c.phone();
      columns[3][i] = c.firstName();
      columns[4][i] = c.lastName();
      columns[5][i] = c.company();
      columns[6][i] = c.title();
      columns[7][i] = c.timezone();
      // Rows of tags differ in length, which a two-dimensional array cannot hold: each goes as
      // a JSON array and is unpacked in the statement.
      columns[8][i] = json.writeValueAsString(c.tags());
      columns[9][i] = json.writeValueAsString(c.attributes());
      columns[10][i] = c.whatsapp();
    }
    return jdbc.sql(
            """
            insert into contacts (organization_id, contact_id, email, phone, first_name, last_name,
                                  company, title, timezone, tags, attributes, created_at,
                                  updated_at, whatsapp)
            select :org, u.contact_id, u.email, u.phone, u.first_name, u.last_name, u.company,
                   u.title, u.timezone,
                   array(select jsonb_array_elements_text(cast(u.tags as jsonb))),
                   cast(u.attributes as jsonb), :at, :at, u.whatsapp
            from unnest(cast(:ids as text[]), cast(:emails as text[]), cast(:phones as text[]),
                        cast(:firsts as text[]), cast(:lasts as text[]),
                        cast(:companies as text[]), cast(:titles as text[]),
                        cast(:zones as text[]), cast(:tags as text[]),
                        cast(:attributes as text[]), cast(:whatsapps as text[]))
                 as u(contact_id, email, phone, first_name, last_name, company, title, timezone,
                      tags, attributes, whatsapp)
            on conflict (organization_id, contact_id) do update
               set email = excluded.email, phone = excluded.phone, whatsapp = excluded.whatsapp,
                   first_name = excluded.first_name, last_name = excluded.last_name,
                   company = excluded.company, title = excluded.title,
                   timezone = excluded.timezone, tags = excluded.tags,
                   attributes = excluded.attributes, updated_at = excluded.updated_at
            """)
        .param("org", organizationId)
        .param("at", Timestamp.from(at))
        .param("ids", columns[0])
        .param("emails", columns[1])
        .param("phones", columns[2])
        .param("firsts", columns[3])
        .param("lasts", columns[4])
        .param("companies", columns[5])
        .param("titles", columns[6])
        .param("zones", columns[7])
        .param("tags", columns[8])
        .param("attributes", columns[9])
        .param("whatsapps", columns[10])
        .update();
  }

  /**
   * A page of the organization's contacts, oldest first.
   *
   * @param tag only contacts with this tag, or null
   * @param search part of the email, phone, names, company or contact id, any case; or null
   */
  public List<Contact> page(
      String organizationId, String tag, String search, int limit, long offset) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from contacts"
                + WHERE
                + " order by created_at, id limit :limit offset :offset")
        .param("org", organizationId)
        .param("tag", tag)
        .param("pattern", pattern(search))
        .param("limit", limit)
        .param("offset", offset)
        .query(rows)
        .list();
  }

  public long count(String organizationId, String tag, String search) {
    return jdbc.sql("select count(*) from contacts" + WHERE)
        .param("org", organizationId)
        .param("tag", tag)
        .param("pattern", pattern(search))
        .query(Long.class)
        .single();
  }

  private static final String WHERE =
      " where organization_id = :org"
          + " and (cast(:tag as text) is null or tags @> array[cast(:tag as text)])"
          + " and (cast(:pattern as text) is null or email ilike :pattern escape '\\'"
          + " or phone ilike :pattern escape '\\' or first_name ilike :pattern escape '\\'"
          + " or last_name ilike :pattern escape '\\' or company ilike :pattern escape '\\'"
          + " or contact_id ilike :pattern escape '\\')";

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

  /**
   * The contacts with these ids, locked for the rest of the transaction in the order of their keys
   * (so that two transactions locking overlapping sets cannot deadlock).
   *
   * @param organizationIds the organization of each id, in the same order
   */
  public List<Contact> lockByContactIds(List<String> organizationIds, List<String> contactIds) {
    if (contactIds.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from contacts where (organization_id, contact_id) in"
                + " (select * from unnest(?::text[], ?::text[])) order by id for update")
        .params(organizationIds.toArray(String[]::new), contactIds.toArray(String[]::new))
        .query(rows)
        .list();
  }

  /** The contacts with these keys, locked in the order of their keys. */
  public List<Contact> lockByPks(java.util.Collection<Long> pks) {
    if (pks.isEmpty()) {
      return List.of();
    }
    return jdbc.sql("select " + COLUMNS + " from contacts where id = any(?) order by id for update")
        .param(pks.toArray(Long[]::new))
        .query(rows)
        .list();
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
        rs.getTimestamp(15).toInstant(),
        rs.getString(16));
  }
}
