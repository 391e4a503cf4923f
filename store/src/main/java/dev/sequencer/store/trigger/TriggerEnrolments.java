package dev.sequencer.store.trigger;

import dev.sequencer.store.lead.Lead;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
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

  /** A contact in a campaign. */
  public record Pair(String campaignId, long contactPk) {}

  /**
   * A contact's enrolment by an event, to record.
   *
   * @param enrolledAt the time of the event that enrolled the contact: frequency windows are
   *     measured in event time, so events that arrive late count where they happened
   * @param startAt when the lead's sequence starts
   */
  public record NewEnrolment(
      Pair pair, long leadPk, long eventPk, Instant enrolledAt, Instant startAt) {}

  /** Records these enrolments in one statement. */
  public void recordAll(List<NewEnrolment> enrolments) {
    if (enrolments.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            insert into trigger_enrolments (campaign_id, contact_pk, lead_pk, event_pk, enrolled_at,
                                            start_at)
            select * from unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[],
                                 ?::timestamptz[], ?::timestamptz[])
            """)
        .params(
            enrolments.stream().map(e -> e.pair().campaignId()).toArray(String[]::new),
            enrolments.stream().map(e -> e.pair().contactPk()).toArray(Long[]::new),
            enrolments.stream().map(NewEnrolment::leadPk).toArray(Long[]::new),
            enrolments.stream().map(NewEnrolment::eventPk).toArray(Long[]::new),
            enrolments.stream().map(e -> Timestamp.from(e.enrolledAt())).toArray(Timestamp[]::new),
            enrolments.stream().map(e -> Timestamp.from(e.startAt())).toArray(Timestamp[]::new))
        .update();
  }

  /** When each of these contacts was enrolled into its campaign, every time so far. */
  public Map<Pair, List<Instant>> enrolmentTimes(java.util.Collection<Pair> pairs) {
    Map<Pair, List<Instant>> times = new HashMap<>();
    if (pairs.isEmpty()) {
      return times;
    }
    jdbc.sql(
            """
            select e.campaign_id, e.contact_pk, e.enrolled_at
              from trigger_enrolments e
              join unnest(?::text[], ?::bigint[]) as p(campaign_id, contact_pk)
                on e.campaign_id = p.campaign_id and e.contact_pk = p.contact_pk
            """)
        .params(
            pairs.stream().map(Pair::campaignId).toArray(String[]::new),
            pairs.stream().map(Pair::contactPk).toArray(Long[]::new))
        .query(
            rs -> {
              times
                  .computeIfAbsent(new Pair(rs.getString(1), rs.getLong(2)), p -> new ArrayList<>())
                  .add(rs.getTimestamp(3).toInstant());
            });
    return times;
  }

  /** Each of these contacts' latest lead in its campaign that is pending, active or paused. */
  public Map<Pair, OpenLead> openLeads(java.util.Collection<Pair> pairs) {
    Map<Pair, OpenLead> open = new HashMap<>();
    if (pairs.isEmpty()) {
      return open;
    }
    jdbc.sql(
            """
            select distinct on (l.campaign_id, l.contact_pk)
                   l.campaign_id, l.contact_pk, l.id, l.lead_id, l.workflow_id, l.status
              from leads l
              join unnest(?::text[], ?::bigint[]) as p(campaign_id, contact_pk)
                on l.campaign_id = p.campaign_id and l.contact_pk = p.contact_pk
             where l.status in ('PENDING', 'ACTIVE', 'PAUSED')
             order by l.campaign_id, l.contact_pk, l.id desc
            """)
        .params(
            pairs.stream().map(Pair::campaignId).toArray(String[]::new),
            pairs.stream().map(Pair::contactPk).toArray(Long[]::new))
        .query(
            rs -> {
              open.put(
                  new Pair(rs.getString(1), rs.getLong(2)),
                  new OpenLead(rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6)));
            });
    return open;
  }

  /** A lead's id in its campaign. */
  public record LeadKey(String campaignId, String leadId) {}

  /**
   * Inserts pending leads made from contacts, with their variants and senders, in one statement.
   *
   * @param contactPks the contact of each lead, in the same order
   * @return the key of each lead inserted; one whose id its campaign had meanwhile has none
   */
  public Map<LeadKey, Long> insertLeads(List<Lead> leads, List<Long> contactPks) {
    Map<LeadKey, Long> inserted = new HashMap<>();
    if (leads.isEmpty()) {
      return inserted;
    }
    jdbc.sql(
            """
            insert into leads (organization_id, campaign_id, lead_id, email, phone, first_name,
                               last_name, company, title, timezone, attributes, status, variant,
                               created_at, updated_at, contact_pk, sender_id, whatsapp)
            select o, c, l, e, p, f, la, co, t, z, a, 'PENDING', v, ca, ca, k, s, w
              from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                          ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                          ?::timestamptz[], ?::bigint[], ?::text[], ?::text[])
                   as u(o, c, l, e, p, f, la, co, t, z, a, v, ca, k, s, w)
            on conflict (campaign_id, lead_id) do nothing
            returning id, campaign_id, lead_id
            """)
        .params(
            leads.stream().map(Lead::organizationId).toArray(String[]::new),
            leads.stream().map(Lead::campaignId).toArray(String[]::new),
            leads.stream().map(Lead::leadId).toArray(String[]::new),
            leads.stream().map(Lead::email).toArray(String[]::new),
            leads.stream().map(Lead::phone).toArray(String[]::new),
            leads.stream().map(Lead::firstName).toArray(String[]::new),
            leads.stream().map(Lead::lastName).toArray(String[]::new),
            leads.stream().map(Lead::company).toArray(String[]::new),
            leads.stream().map(Lead::title).toArray(String[]::new),
            leads.stream().map(Lead::timezone).toArray(String[]::new),
            leads.stream().map(Lead::attributes).toArray(String[]::new),
            leads.stream().map(Lead::variant).toArray(String[]::new),
            leads.stream().map(l -> Timestamp.from(l.createdAt())).toArray(Timestamp[]::new),
            contactPks.toArray(Long[]::new),
            leads.stream().map(Lead::senderId).toArray(String[]::new),
            leads.stream().map(Lead::whatsapp).toArray(String[]::new))
        .query(
            rs -> {
              inserted.put(new LeadKey(rs.getString(2), rs.getString(3)), rs.getLong(1));
            });
    return inserted;
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
}
