package dev.sequencer.analysis.metrics;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads a campaign's metrics with one aggregate query.
 *
 * <p>The per-lead work is done as rows are written: table {@code lead_metrics} (migration V5) holds
 * one row per lead with what its messages, outcome events and conversions amount to — messages sent
 * and delivered, which steps were sent, delivered, opened and clicked, the step its first human
 * reply is attributed to, whether it replied positively, opted out, bounced, failed or converted —
 * kept current by statement triggers on {@code messages}, {@code lead_events} and {@code
 * conversions}, and packed into one integer, {@code profile}. The query joins the campaign's leads
 * (variant, status) to those rows — both tables have a covering index on (campaign, lead) — and
 * counts the leads of each (variant, status, sender, profile): a few hundred rows at most, which
 * {@link LeadProfile} turns into the counts. So every definition of a count lives in one place, in
 * Java.
 */
@Repository
public class MetricsQuery {

  private static final String SQL =
      """
      select l.variant, l.status, l.sender_id, m.profile,
             count(*) as leads,
             coalesce(sum(m.sent), 0) as sent,
             coalesce(sum(m.delivered), 0) as delivered,
             coalesce(sum(m.conversion_value), 0) as conversion_value
      from leads l
      left join lead_metrics m on m.campaign_id = :campaign and m.lead_pk = l.id
      where l.campaign_id = :campaign
      group by l.variant, l.status, l.sender_id, m.profile
      """;

  private final JdbcClient jdbc;

  public MetricsQuery(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * @param variants the campaign's variants, A first; each gets an entry even without leads
   */
  @Transactional(readOnly = true)
  public CampaignMetrics of(String campaignId, List<String> variants) {
    // The planner cannot know that (variant, status, sender, profile) has a few hundred values, so
    // it plans for one group per lead; with the default 4 MB of work memory that is a sort spilled
    // to disk (half the query's time at 100,000 leads). Enough memory for this transaction lets it
    // hash the groups instead.
    jdbc.sql("select set_config('work_mem', '64MB', true)").query(String.class).single();
    List<LeadProfile> profiles =
        jdbc.sql(SQL).param("campaign", campaignId).query(MetricsQuery::profile).list();
    return LeadProfile.fold(campaignId, variants, profiles);
  }

  /** The SQL, for an {@code EXPLAIN} (parameter {@code :campaign}). */
  public static String sql() {
    return SQL;
  }

  private static LeadProfile profile(ResultSet rs, int i) throws SQLException {
    BigDecimal value = rs.getBigDecimal("conversion_value");
    return new LeadProfile(
        rs.getString("variant"),
        rs.getString("status"),
        rs.getInt("profile"),
        rs.getLong("leads"),
        rs.getLong("sent"),
        rs.getLong("delivered"),
        value == null ? BigDecimal.ZERO : value,
        rs.getString("sender_id"));
  }
}
