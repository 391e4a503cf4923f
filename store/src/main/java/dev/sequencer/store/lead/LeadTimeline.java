package dev.sequencer.store.lead;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The timeline of each lead: what happened, when, and why. */
@Repository
public class LeadTimeline {

  private final JdbcClient jdbc;

  public LeadTimeline(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public void record(
      String organizationId,
      String campaignId,
      long leadPk,
      String messageId,
      String step,
      String event,
      String detail,
      Instant at) {
    jdbc.sql(
            "insert into lead_events (organization_id, campaign_id, lead_pk, message_id, step_type,"
                + " event, detail, at) values (?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            organizationId,
            campaignId,
            leadPk,
            messageId,
            step,
            event,
            detail,
            LeadSteps.timestamp(at))
        .update();
  }

  /** An entry on a lead's timeline that concerns no message. */
  public record Entry(
      String organizationId,
      String campaignId,
      long leadPk,
      String event,
      String detail,
      Instant at) {}

  /** Records these entries in one statement. */
  public void recordAll(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            insert into lead_events (organization_id, campaign_id, lead_pk, event, detail, at)
            select * from unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[],
                                 ?::timestamptz[])
            """)
        .params(
            entries.stream().map(Entry::organizationId).toArray(String[]::new),
            entries.stream().map(Entry::campaignId).toArray(String[]::new),
            entries.stream().map(Entry::leadPk).toArray(Long[]::new),
            entries.stream().map(Entry::event).toArray(String[]::new),
            entries.stream().map(Entry::detail).toArray(String[]::new),
            entries.stream()
                .map(e -> LeadSteps.timestamp(e.at()))
                .toArray(java.sql.Timestamp[]::new))
        .update();
  }

  /** Whether {@code event} was already recorded for the message (e.g. its first open). */
  public boolean hasMessageEvent(String messageId, String event) {
    return jdbc.sql("select exists (select 1 from lead_events where message_id = ? and event = ?)")
        .params(messageId, event)
        .query(Boolean.class)
        .single();
  }

  public List<LeadEvent> of(long leadPk) {
    return jdbc.sql(
            "select at, event, step_type, detail from lead_events where lead_pk = ? order by at, id")
        .param(leadPk)
        .query(
            (rs, i) ->
                new LeadEvent(
                    rs.getTimestamp("at").toInstant(),
                    rs.getString("event"),
                    rs.getString("step_type"),
                    rs.getString("detail")))
        .list();
  }
}
