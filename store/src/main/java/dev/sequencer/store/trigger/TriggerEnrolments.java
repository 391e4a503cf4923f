package dev.sequencer.store.trigger;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Every enrolment of a contact by a trigger; the frequency limit counts them. */
@Repository
public class TriggerEnrolments {

  private final JdbcClient jdbc;

  public TriggerEnrolments(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * @param enrolledAt the time of the event that enrolled the contact: frequency windows are
   *     measured in event time, so events that arrive late count where they happened
   * @param startAt when the lead's sequence starts
   */
  public void record(
      String campaignId,
      long contactPk,
      long leadPk,
      long eventPk,
      Instant enrolledAt,
      Instant startAt) {
    jdbc.sql(
            "insert into trigger_enrolments (campaign_id, contact_pk, lead_pk, event_pk,"
                + " enrolled_at, start_at) values (?, ?, ?, ?, ?, ?)")
        .params(
            campaignId,
            contactPk,
            leadPk,
            eventPk,
            Timestamp.from(enrolledAt),
            Timestamp.from(startAt))
        .update();
  }

  /** The contact's enrolments into the campaign: all of them, and those after {@code since}. */
  public record Counts(int all, int since) {}

  public Counts counts(String campaignId, long contactPk, Instant since) {
    return jdbc.sql(
            "select count(*), count(*) filter (where enrolled_at > ?) from trigger_enrolments"
                + " where campaign_id = ? and contact_pk = ?")
        .params(Timestamp.from(since), campaignId, contactPk)
        .query((rs, row) -> new Counts(rs.getInt(1), rs.getInt(2)))
        .single();
  }

  /**
   * The sequence start of each of these leads that a trigger enrolled: such a lead starts when its
   * event (and delay) says, not when the enrolment that picks it up runs.
   */
  public Map<Long, Instant> startsOf(List<Long> leadPks) {
    Map<Long, Instant> starts = new HashMap<>();
    if (leadPks.isEmpty()) {
      return starts;
    }
    jdbc.sql("select lead_pk, start_at from trigger_enrolments where lead_pk = any(?)")
        .param(leadPks.toArray(Long[]::new))
        .query(
            rs -> {
              starts.put(rs.getLong(1), rs.getTimestamp(2).toInstant());
            });
    return starts;
  }

  /** A lead of the contact in the campaign whose sequence has not ended. */
  public record OpenLead(long pk, String leadId, String workflowId, String status) {}

  /** The contact's lead in the campaign that is pending, active or paused, if any. */
  public java.util.Optional<OpenLead> openLead(String campaignId, long contactPk) {
    return jdbc.sql(
            "select id, lead_id, workflow_id, status from leads where campaign_id = ?"
                + " and contact_pk = ? and status in ('PENDING', 'ACTIVE', 'PAUSED')"
                + " order by id desc limit 1")
        .params(campaignId, contactPk)
        .query(
            (rs, row) ->
                new OpenLead(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
        .optional();
  }

  /**
   * Inserts a pending lead made from a contact.
   *
   * @return its key, or empty when the campaign has a lead with this id already
   */
  public java.util.Optional<Long> insertLead(dev.sequencer.store.lead.Lead lead, long contactPk) {
    return jdbc.sql(
            """
            insert into leads (organization_id, campaign_id, lead_id, email, phone, first_name,
                               last_name, company, title, timezone, attributes, status, variant,
                               created_at, updated_at, contact_pk)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?)
            on conflict (campaign_id, lead_id) do nothing
            returning id
            """)
        .params(
            lead.organizationId(),
            lead.campaignId(),
            lead.leadId(),
            lead.email(),
            lead.phone(),
            lead.firstName(),
            lead.lastName(),
            lead.company(),
            lead.title(),
            lead.timezone(),
            lead.attributes(),
            lead.variant(),
            Timestamp.from(lead.createdAt()),
            Timestamp.from(lead.updatedAt()),
            contactPk)
        .query(Long.class)
        .optional();
  }
}
