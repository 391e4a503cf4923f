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
      String attributes,
      String whatsapp) {}

  /** Below this many rows in the contact book table, an estimate is an exact count. */
  static final long EXACT_BELOW_ROWS = 200_000;

  /** The pages a sampled estimate reads, about: a few tens of milliseconds. */
  static final long SAMPLED_PAGES = 2_000;

  /** Members found in the sample below which the estimate counts exactly instead. */
  static final long MIN_SAMPLED_MEMBERS = 500;

  /** How many contacts an audience holds, and whether that is an exact count or a sample's. */
  public record Estimate(long size, boolean exact) {}

  /**
   * The audience's size, in a time that does not grow with the contact book. A book small enough is
   * counted exactly; a large one through a fixed sample of its table's pages ({@code TABLESAMPLE
   * SYSTEM}, the same pages each time), scaled up: within about ±5 % for an audience of 50,000 in a
   * million. An audience too small for the sample to see well is counted exactly.
   */
  public Estimate estimate(Audience audience, Instant now) {
    TableSize table =
        jdbc.sql(
                "select greatest(reltuples, 0)::bigint, relpages::bigint from pg_class"
                    + " where oid = 'contacts'::regclass")
            .query((rs, row) -> new TableSize(rs.getLong(1), rs.getLong(2)))
            .single();
    if (table.rows() < EXACT_BELOW_ROWS || table.pages() <= SAMPLED_PAGES) {
      return new Estimate(size(audience, now), true);
    }
    double percent = 100.0 * SAMPLED_PAGES / table.pages();
    AudienceSql.Clause where =
        AudienceSql.members(audience.organizationId(), audience.definition(), now);
    List<Object> params = new ArrayList<>();
    params.add(percent);
    params.addAll(where.params());
    long sampled =
        jdbc.sql(
                "select count(*) from contacts c tablesample system (?::real) repeatable (0)"
                    + " where "
                    + where.sql())
            .params(params)
            .query(Long.class)
            .single();
    if (sampled < MIN_SAMPLED_MEMBERS) {
      return new Estimate(size(audience, now), true);
    }
    return new Estimate(Math.round(sampled * 100.0 / percent), false);
  }

  private record TableSize(long rows, long pages) {}

  /** The audience's exact size. */
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
                + " c.title, c.timezone, c.attributes::text, c.whatsapp from contacts c where "
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
                    rs.getString(10),
                    rs.getString(11)))
        .list();
  }
}
