package dev.sequencer.store.audience;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The contacts an audience holds right now, counted, listed, or read in pages to enrol. */
@Repository
public class AudienceMembers {

  private final JdbcClient jdbc;

  public AudienceMembers(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** One member, with what a lead made from it needs. */
  public record Member(
      long pk,
      String contactId,
      String email,
      String phone,
      String firstName,
      String lastName,
      String company,
      String title,
      String timezone,
      String attributes) {}

  public long size(Audience audience, Instant now) {
    AudienceSql.Clause where =
        AudienceSql.members(audience.organizationId(), audience.definition(), now);
    return jdbc.sql("select count(*) from contacts c where " + where.sql())
        .params(where.params())
        .query(Long.class)
        .single();
  }

  /** A page of the members' contact ids, in the order they were added to the contact book. */
  public List<String> contactIds(Audience audience, Instant now, int limit, long offset) {
    AudienceSql.Clause where =
        AudienceSql.members(audience.organizationId(), audience.definition(), now);
    List<Object> params = new ArrayList<>(where.params());
    params.add(limit);
    params.add(offset);
    return jdbc.sql(
            "select c.contact_id from contacts c where "
                + where.sql()
                + " order by c.id limit ? offset ?")
        .params(params)
        .query(String.class)
        .list();
  }

  /** The next members after the contact key {@code afterPk}, by key: a resumable walk. */
  public List<Member> after(Audience audience, Instant now, long afterPk, int limit) {
    AudienceSql.Clause where =
        AudienceSql.members(audience.organizationId(), audience.definition(), now);
    List<Object> params = new ArrayList<>(where.params());
    params.add(afterPk);
    params.add(limit);
    return jdbc.sql(
            "select c.id, c.contact_id, c.email, c.phone, c.first_name, c.last_name, c.company,"
                + " c.title, c.timezone, c.attributes::text from contacts c where "
                + where.sql()
                + " and c.id > ? order by c.id limit ?")
        .params(params)
        .query(
            (rs, row) ->
                new Member(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getString(7),
                    rs.getString(8),
                    rs.getString(9),
                    rs.getString(10)))
        .list();
  }
}
