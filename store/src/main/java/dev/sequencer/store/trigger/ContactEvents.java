package dev.sequencer.store.trigger;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  /** An event's identity: the caller's id within its organization. */
  public record Key(String organizationId, String eventId) {}

  /** An event to record. */
  public record NewEvent(
      Key key,
      String type,
      Map<String, Object> properties,
      Instant occurredAt,
      Instant receivedAt) {}

  /**
   * Records, in one statement, each event whose id its organization has not used; a concurrent
   * insert of the same id waits for the first to commit.
   *
   * @return the new key of each event recorded; an id taken before has none
   */
  public Map<Key, Long> insertAll(List<NewEvent> batch) {
    int n = batch.size();
    String[] organizations = new String[n];
    String[] ids = new String[n];
    String[] types = new String[n];
    String[] properties = new String[n];
    Timestamp[] occurred = new Timestamp[n];
    Timestamp[] received = new Timestamp[n];
    for (int i = 0; i < n; i++) {
      NewEvent event = batch.get(i);
      organizations[i] = event.key().organizationId();
      ids[i] = event.key().eventId();
      types[i] = event.type();
      properties[i] = json.writeValueAsString(event.properties());
      occurred[i] = Timestamp.from(event.occurredAt());
      received[i] = Timestamp.from(event.receivedAt());
    }
    Map<Key, Long> inserted = new HashMap<>();
    jdbc.sql(
            """
            insert into contact_events (organization_id, event_id, type, properties, occurred_at,
                                        received_at)
            select o, e, t, cast(p as jsonb), oc, rc
              from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[],
                          ?::timestamptz[]) as u(o, e, t, p, oc, rc)
            on conflict (organization_id, event_id) do nothing
            returning id, organization_id, event_id
            """)
        .params(organizations, ids, types, properties, occurred, received)
        .query(
            rs -> {
              inserted.put(new Key(rs.getString(2), rs.getString(3)), rs.getLong(1));
            });
    return inserted;
  }

  /** The first answer to each of these events that has one, as JSON text. */
  public Map<Key, String> answersOf(List<Key> keys) {
    Map<Key, String> answers = new HashMap<>();
    if (keys.isEmpty()) {
      return answers;
    }
    jdbc.sql(
            """
            select e.organization_id, e.event_id, e.answer::text
              from contact_events e
              join unnest(?::text[], ?::text[]) as k(o, id)
                on e.organization_id = k.o and e.event_id = k.id
             where e.answer is not null
            """)
        .params(
            keys.stream().map(Key::organizationId).toArray(String[]::new),
            keys.stream().map(Key::eventId).toArray(String[]::new))
        .query(
            rs -> {
              answers.put(new Key(rs.getString(1), rs.getString(2)), rs.getString(3));
            });
    return answers;
  }

  /** An event decided: its contact and the answer given to it. */
  public record Completion(long eventPk, long contactPk, String answerJson) {}

  /** Ties each event to its contact and keeps the answer given to it, in one statement. */
  public void completeAll(List<Completion> completions) {
    if (completions.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            update contact_events e set contact_pk = c.contact_pk, answer = cast(c.answer as jsonb)
              from unnest(?::bigint[], ?::bigint[], ?::text[]) as c(id, contact_pk, answer)
             where e.id = c.id
            """)
        .params(
            completions.stream().map(Completion::eventPk).toArray(Long[]::new),
            completions.stream().map(Completion::contactPk).toArray(Long[]::new),
            completions.stream().map(Completion::answerJson).toArray(String[]::new))
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
