package dev.sequencer.store.trigger;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Events recorded for contacts. The caller's event id makes a repeat answer as the first did: the
 * first answer is kept with the event.
 */
@Repository
public class ContactEvents {

  private static final TypeReference<Map<String, Object>> PROPERTIES = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final JsonMapper json = JsonMapper.shared();

  public ContactEvents(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Records the event unless the organization has one with its id; a concurrent insert of the same
   * id waits for the first to commit.
   *
   * @return the new event's key, or empty when the id was taken
   */
  public Optional<Long> insert(
      String organizationId,
      String eventId,
      String type,
      Map<String, Object> properties,
      Instant occurredAt,
      Instant receivedAt) {
    return jdbc.sql(
            """
            insert into contact_events (organization_id, event_id, type, properties, occurred_at,
                                        received_at)
            values (?, ?, ?, cast(? as jsonb), ?, ?)
            on conflict (organization_id, event_id) do nothing
            returning id
            """)
        .params(
            organizationId,
            eventId,
            type,
            json.writeValueAsString(properties),
            Timestamp.from(occurredAt),
            Timestamp.from(receivedAt))
        .query(Long.class)
        .optional();
  }

  /** The first answer to the event id, as JSON text; empty if the event has none (yet). */
  public Optional<String> answerOf(String organizationId, String eventId) {
    return jdbc.sql(
            "select answer::text from contact_events where organization_id = ? and event_id = ?")
        .params(organizationId, eventId)
        .query(String.class)
        .optional();
  }

  /** Ties the event to its contact and keeps the answer given to it. */
  public void complete(long eventPk, long contactPk, String answerJson) {
    jdbc.sql("update contact_events set contact_pk = ?, answer = cast(? as jsonb) where id = ?")
        .params(contactPk, answerJson, eventPk)
        .update();
  }

  /** One recorded event of a contact. */
  public record Recorded(
      String eventId,
      String type,
      Map<String, Object> properties,
      Instant occurredAt,
      Instant receivedAt) {}

  /** The contact's latest events, newest first. */
  public List<Recorded> ofContact(long contactPk, int limit) {
    return jdbc.sql(
            "select event_id, type, properties::text, occurred_at, received_at from contact_events"
                + " where contact_pk = ? order by occurred_at desc, id desc limit ?")
        .params(contactPk, limit)
        .query(
            (rs, row) ->
                new Recorded(
                    rs.getString(1),
                    rs.getString(2),
                    json.readValue(rs.getString(3), PROPERTIES),
                    rs.getTimestamp(4).toInstant(),
                    rs.getTimestamp(5).toInstant()))
        .list();
  }

  /** One enrolment of a contact by a trigger, with its lead as it is now. */
  public record Enrolled(
      String campaignId,
      String leadId,
      String leadStatus,
      String eventId,
      Instant enrolledAt,
      Instant startAt) {}

  /** The contact's enrolments, newest first. */
  public List<Enrolled> enrolmentsOf(long contactPk, int limit) {
    return jdbc.sql(
            """
            select e.campaign_id, l.lead_id, l.status, ev.event_id, e.enrolled_at, e.start_at
              from trigger_enrolments e
              left join leads l on l.id = e.lead_pk
              left join contact_events ev on ev.id = e.event_pk
             where e.contact_pk = ?
             order by e.id desc limit ?
            """)
        .params(contactPk, limit)
        .query(
            (rs, row) ->
                new Enrolled(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getTimestamp(5).toInstant(),
                    rs.getTimestamp(6).toInstant()))
        .list();
  }
}
