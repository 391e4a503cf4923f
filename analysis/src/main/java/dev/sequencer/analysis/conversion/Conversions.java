package dev.sequencer.analysis.conversion;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reported conversions (table {@code conversions}) and what attributing one needs to know. A
 * conversion is unique by (lead, event, occurred_at), so a client that retries a report with the
 * same {@code occurred_at} does not count it twice.
 */
@Repository
public class Conversions {

  /** A lead a conversion may belong to. */
  public record LeadRef(long pk, String leadId, String status, Instant createdAt) {
    public boolean isHoldout() {
      return "HOLDOUT".equals(status);
    }
  }

  /** A stored conversion. */
  public record Conversion(
      String id,
      String campaignId,
      long leadPk,
      String event,
      BigDecimal value,
      Instant occurredAt,
      Attribution attribution) {}

  private static final String LEAD_COLUMNS = "id, lead_id, status, created_at";

  private final JdbcClient jdbc;

  public Conversions(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<LeadRef> leadById(String campaignId, String leadId) {
    return jdbc.sql("select " + LEAD_COLUMNS + " from leads where campaign_id = ? and lead_id = ?")
        .params(campaignId, leadId)
        .query(Conversions::lead)
        .optional();
  }

  /** The campaign's leads with this (normalised) address, oldest first. */
  public List<LeadRef> leadsByEmail(String campaignId, String email) {
    return jdbc.sql(
            "select "
                + LEAD_COLUMNS
                + " from leads where campaign_id = ? and email = ? order by id limit 100")
        .params(campaignId, email)
        .query(Conversions::lead)
        .list();
  }

  /** The campaign's leads with this E.164 number, oldest first. */
  public List<LeadRef> leadsByPhone(String campaignId, String phone) {
    return jdbc.sql(
            "select "
                + LEAD_COLUMNS
                + " from leads where campaign_id = ? and phone = ? order by id limit 100")
        .params(campaignId, phone)
        .query(Conversions::lead)
        .list();
  }

  /** The last message sent to the lead at or before {@code at}. */
  public Optional<Attribution.LastMessage> lastMessageAtOrBefore(long leadPk, Instant at) {
    return jdbc.sql(
            "select step_type, sent_at from messages where lead_pk = ? and sent_at <= ?"
                + " order by sent_at desc limit 1")
        .params(leadPk, Timestamp.from(at))
        .query(
            (rs, i) ->
                new Attribution.LastMessage(
                    rs.getString("step_type"), rs.getTimestamp("sent_at").toInstant()))
        .optional();
  }

  /**
   * When the lead was enrolled into the holdout: its {@code holdout} event, or (should that be
   * missing) when the lead was added.
   */
  public Instant holdoutEnrolment(LeadRef lead) {
    return jdbc.sql("select min(at) from lead_events where lead_pk = ? and event = 'holdout'")
        .param(lead.pk())
        .query((rs, i) -> rs.getTimestamp(1))
        .optional()
        .map(Timestamp::toInstant)
        .orElse(lead.createdAt());
  }

  /** A conversion as stored, and whether it repeats one stored before. */
  public record Stored(Conversion conversion, boolean duplicate) {}

  /**
   * Stores the conversion unless the lead has one with the same event and {@code occurred_at}, in
   * which case the earlier one is returned as a duplicate.
   */
  public Stored insert(
      String id,
      String organizationId,
      String campaignId,
      LeadRef lead,
      String event,
      BigDecimal value,
      Instant occurredAt,
      Attribution attribution,
      Instant now) {
    boolean inserted =
        jdbc.sql(
                    """
                    insert into conversions (id, organization_id, campaign_id, lead_pk, event, value,
                                             occurred_at, attributed, basis, step, basis_at,
                                             window_days, created_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    on conflict (lead_pk, event, occurred_at) do nothing
                    """)
                .params(
                    id,
                    organizationId,
                    campaignId,
                    lead.pk(),
                    event,
                    value,
                    Timestamp.from(occurredAt),
                    attribution.attributed(),
                    attribution.basis(),
                    attribution.step(),
                    attribution.basisAt() == null ? null : Timestamp.from(attribution.basisAt()),
                    attribution.windowDays(),
                    Timestamp.from(now))
                .update()
            > 0;
    Conversion stored =
        jdbc.sql("select * from conversions where lead_pk = ? and event = ? and occurred_at = ?")
            .params(lead.pk(), event, Timestamp.from(occurredAt))
            .query(Conversions::conversion)
            .single();
    return new Stored(stored, !inserted);
  }

  private static LeadRef lead(ResultSet rs, int i) throws SQLException {
    return new LeadRef(
        rs.getLong("id"),
        rs.getString("lead_id"),
        rs.getString("status"),
        rs.getTimestamp("created_at").toInstant());
  }

  private static Conversion conversion(ResultSet rs, int i) throws SQLException {
    Timestamp basisAt = rs.getTimestamp("basis_at");
    Instant occurredAt = rs.getTimestamp("occurred_at").toInstant();
    // The attribution is a pure function of what was stored, so it is described again from it.
    Attribution stored =
        Attribution.of(
            occurredAt,
            rs.getInt("window_days"),
            Attribution.MESSAGE.equals(rs.getString("basis"))
                ? new Attribution.LastMessage(rs.getString("step"), basisAt.toInstant())
                : null,
            Attribution.HOLDOUT.equals(rs.getString("basis")) ? basisAt.toInstant() : null);
    return new Conversion(
        rs.getString("id"),
        rs.getString("campaign_id"),
        rs.getLong("lead_pk"),
        rs.getString("event"),
        rs.getBigDecimal("value"),
        occurredAt,
        stored);
  }
}
