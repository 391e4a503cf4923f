package dev.sequencer.store.lead;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Bulk insert of imported leads; a lead id already in the campaign is not inserted again. */
@Repository
public class LeadWriter {

  private final JdbcTemplate jdbc;

  public LeadWriter(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Inserts the leads in one batch.
   *
   * @return for each lead, whether it was inserted ({@code false}: its lead id was taken)
   */
  public boolean[] insert(List<Lead> leads) {
    int[] counts =
        jdbc.batchUpdate(
            """
            insert into leads (organization_id, campaign_id, lead_id, email, phone, first_name,
                               last_name, company, title, timezone, attributes, status, variant,
                               created_at, updated_at, whatsapp)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (campaign_id, lead_id) do nothing
            """,
            new BatchPreparedStatementSetter() {
              @Override
              public void setValues(PreparedStatement ps, int i) throws SQLException {
                Lead lead = leads.get(i);
                ps.setString(1, lead.organizationId());
                ps.setString(2, lead.campaignId());
                ps.setString(3, lead.leadId());
                ps.setString(4, lead.email());
                ps.setString(5, lead.phone());
                ps.setString(6, lead.firstName());
                ps.setString(7, lead.lastName());
                ps.setString(8, lead.company());
                ps.setString(9, lead.title());
                ps.setString(10, lead.timezone());
                ps.setString(11, lead.attributes());
                ps.setString(12, lead.status().name());
                ps.setString(13, lead.variant());
                ps.setTimestamp(14, Timestamp.from(lead.createdAt()));
                ps.setTimestamp(15, Timestamp.from(lead.updatedAt()));
                ps.setString(16, lead.whatsapp());
              }

              @Override
              public int getBatchSize() {
                return leads.size();
              }
            });
    boolean[] inserted = new boolean[counts.length];
    for (int i = 0; i < counts.length; i++) {
      inserted[i] = counts[i] > 0;
    }
    return inserted;
  }

  /**
   * How enrolment leaves one pending lead, and the event its timeline gets for it.
   *
   * @param variant the variant, or null for a lead that gets no sequence
   * @param workflowId the lead's sequence workflow, or null for a lead that gets no sequence
   */
  public record Enrolment(
      long leadPk,
      LeadStatus status,
      String variant,
      String workflowId,
      String event,
      String detail) {}

  /**
   * Records the variants of pending leads whose workflows are about to start (so their first plan
   * uses the variant's steps), in one batch and one transaction.
   */
  @Transactional
  public void assignVariants(List<Enrolment> enrolments) {
    if (enrolments.isEmpty()) {
      return;
    }
    jdbc.batchUpdate(
        "update leads set variant = ?, updated_at = now() where id = ? and status = 'PENDING'",
        new BatchPreparedStatementSetter() {
          @Override
          public void setValues(PreparedStatement ps, int i) throws SQLException {
            Enrolment enrolment = enrolments.get(i);
            ps.setString(1, enrolment.variant());
            ps.setLong(2, enrolment.leadPk());
          }

          @Override
          public int getBatchSize() {
            return enrolments.size();
          }
        });
  }

  /**
   * Records the sender of each lead that has none yet: once chosen it stays, so all of a lead's
   * steps come from the same mailbox.
   */
  @Transactional
  public void assignSenders(java.util.Map<Long, String> senderByLead) {
    if (senderByLead.isEmpty()) {
      return;
    }
    List<java.util.Map.Entry<Long, String>> entries = List.copyOf(senderByLead.entrySet());
    jdbc.batchUpdate(
        "update leads set sender_id = ?, updated_at = now() where id = ? and sender_id is null",
        new BatchPreparedStatementSetter() {
          @Override
          public void setValues(PreparedStatement ps, int i) throws SQLException {
            ps.setString(1, entries.get(i).getValue());
            ps.setLong(2, entries.get(i).getKey());
          }

          @Override
          public int getBatchSize() {
            return entries.size();
          }
        });
  }

  /**
   * Moves pending leads to their enrolment status, variant and workflow id and records each one's
   * event on its timeline, all in one statement. A lead that is no longer pending (cancelled
   * meanwhile, or enrolled by an earlier attempt) keeps its status and gets no event; only a
   * campaign's pause enrols a lead paused, so that it resumes with the campaign.
   *
   * @return for each enrolment, whether its lead was moved
   */
  @Transactional
  public boolean[] enrol(List<Enrolment> enrolments, Instant at) {
    if (enrolments.isEmpty()) {
      return new boolean[0];
    }
    int n = enrolments.size();
    Long[] ids = new Long[n];
    String[] statuses = new String[n];
    String[] variants = new String[n];
    String[] workflows = new String[n];
    String[] events = new String[n];
    String[] details = new String[n];
    for (int i = 0; i < n; i++) {
      Enrolment enrolment = enrolments.get(i);
      ids[i] = enrolment.leadPk();
      statuses[i] = enrolment.status().name();
      variants[i] = enrolment.variant();
      workflows[i] = enrolment.workflowId();
      events[i] = enrolment.event();
      details[i] = enrolment.detail();
    }
    java.util.Set<Long> moved = new java.util.HashSet<>();
    jdbc.query(
        """
        with input as (
            select * from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                       as i(id, status, variant, workflow_id, event, detail)),
        moved as (
            update leads l set status = i.status, variant = i.variant, workflow_id = i.workflow_id,
                updated_at = now(), paused_by = case when i.status = 'PAUSED' then ?::text end
              from input i
             where l.id = i.id and l.status = 'PENDING'
            returning l.id, l.organization_id, l.campaign_id)
        insert into lead_events (organization_id, campaign_id, lead_pk, event, detail, at)
        select m.organization_id, m.campaign_id, m.id, i.event, i.detail, ?::timestamptz
          from moved m join input i on i.id = m.id
        returning lead_pk
        """,
        rs -> {
          moved.add(rs.getLong(1));
        },
        ids,
        statuses,
        variants,
        workflows,
        events,
        details,
        LeadQueries.PAUSED_BY_CAMPAIGN,
        Timestamp.from(at));
    boolean[] result = new boolean[n];
    for (int i = 0; i < n; i++) {
      result[i] = moved.contains(ids[i]);
    }
    return result;
  }
}
