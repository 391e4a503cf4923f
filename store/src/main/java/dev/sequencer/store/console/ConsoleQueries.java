package dev.sequencer.store.console;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What the support console shows that no API answer holds in one piece. */
@Repository
public class ConsoleQueries {

  public record DayCount(LocalDate day, long count) {}

  public record FunnelCount(String variant, String step, long sent) {}

  public record FoundLead(
      String campaignId,
      String campaignName,
      String leadId,
      String email,
      String phone,
      String name,
      String status) {}

  public record AuditLine(Instant at, String keyId, String method, String path, int status) {}

  private final JdbcClient jdbc;

  public ConsoleQueries(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Messages of the campaign handed over between two instants. */
  public long sentBetween(String campaignId, Instant from, Instant to) {
    return jdbc.sql(
            "select count(*) from messages where campaign_id = ? and sent_at >= ? and sent_at < ?")
        .params(campaignId, Timestamp.from(from), Timestamp.from(to))
        .query(Long.class)
        .single();
  }

  /** Messages handed over per local day of {@code zone}. */
  public List<DayCount> sentPerDay(String campaignId, String zone) {
    // The last 60 days with sends, oldest first.
    return jdbc.sql(
            "select day, n from (select cast(sent_at at time zone :zone as date) as day,"
                + " count(*) as n from messages where campaign_id = :campaign"
                + " and sent_at is not null group by 1 order by 1 desc limit 60) recent"
                + " order by day")
        .param("zone", zone)
        .param("campaign", campaignId)
        .query((rs, i) -> new DayCount(rs.getDate("day").toLocalDate(), rs.getLong("n")))
        .list();
  }

  /** Steps still to go out, per local day of {@code zone} of their planned time. */
  public List<DayCount> plannedPerDay(String campaignId, String zone) {
    return jdbc.sql(
            "select cast(s.scheduled_at at time zone :zone as date) as day, count(*) as n"
                + " from lead_steps s join leads l on l.id = s.lead_pk"
                + " where l.campaign_id = :campaign and s.status = 'scheduled'"
                + " and s.scheduled_at is not null group by 1 order by 1 limit 120")
        .param("zone", zone)
        .param("campaign", campaignId)
        .query((rs, i) -> new DayCount(rs.getDate("day").toLocalDate(), rs.getLong("n")))
        .list();
  }

  /** Messages handed over per variant and step: how far the leads of each variant got. */
  public List<FunnelCount> funnel(String campaignId) {
    return jdbc.sql(
            "select coalesce(variant, 'A') as variant, step_type, count(*) as n from messages"
                + " where campaign_id = ? and sent_at is not null group by 1, 2 order by 1, 2")
        .param(campaignId)
        .query(
            (rs, i) ->
                new FunnelCount(
                    rs.getString("variant"), rs.getString("step_type"), rs.getLong("n")))
        .list();
  }

  /** Leads of the organization by part of their email, phone, name or lead id, any case. */
  public List<FoundLead> searchLeads(String organizationId, String search, int limit) {
    String pattern =
        "%" + search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    return jdbc.sql(
            "select l.campaign_id, c.name as campaign_name, l.lead_id, l.email, l.phone,"
                + " trim(coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, '')) as name,"
                + " l.status from leads l join campaigns c on c.id = l.campaign_id"
                + " where l.organization_id = :org and (l.email ilike :p escape '\\'"
                + " or l.phone ilike :p escape '\\' or l.lead_id ilike :p escape '\\'"
                + " or (coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, ''))"
                + " ilike :p escape '\\') order by l.updated_at desc limit :limit")
        .param("org", organizationId)
        .param("p", pattern)
        .param("limit", limit)
        .query(
            (rs, i) ->
                new FoundLead(
                    rs.getString("campaign_id"),
                    rs.getString("campaign_name"),
                    rs.getString("lead_id"),
                    rs.getString("email"),
                    rs.getString("phone"),
                    rs.getString("name"),
                    rs.getString("status")))
        .list();
  }

  /** Who changed what about a target (a campaign, a lead, an address), newest first. */
  public List<AuditLine> auditOf(String organizationId, String target, int limit) {
    return jdbc.sql(
            "select at, key_id, method, path, status from audit_log"
                + " where organization_id = ? and target = ? order by id desc limit ?")
        .params(organizationId, target, limit)
        .query(
            (rs, i) ->
                new AuditLine(
                    rs.getTimestamp("at").toInstant(),
                    rs.getString("key_id"),
                    rs.getString("method"),
                    rs.getString("path"),
                    rs.getInt("status")))
        .list();
  }
}
