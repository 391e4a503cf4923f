package dev.sequencer.store.inbox;

import dev.sequencer.store.message.Message;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The in-app channel's durable inbox: one row per message, by organization and contact. An app
 * fetching the inbox delivers what it had not fetched before; marking a message read opens it.
 */
@Repository
public class InboxMessages {

  /** One message of a contact's inbox. */
  public record InboxMessage(
      String messageId,
      String campaignId,
      long leadPk,
      String stepType,
      String title,
      String body,
      Instant createdAt,
      Instant fetchedAt,
      Instant readAt) {}

  private final JdbcClient jdbc;

  public InboxMessages(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Puts the message in its recipient's inbox; a repeated hand-over finds it there already. */
  public void add(Message message, Instant at) {
    jdbc.sql(
            """
            insert into inbox_messages (message_id, organization_id, contact_id, title, body,
                                        created_at)
            values (?, ?, ?, ?, ?, ?)
            on conflict (message_id) do nothing
            """)
        .params(
            message.id(),
            message.organizationId(),
            message.recipient(),
            message.subject(),
            message.bodyText(),
            Timestamp.from(at))
        .update();
  }

  /**
   * The contact's messages, newest first, each marked fetched the first time it is listed.
   *
   * @return the messages, {@code fetchedAt} null on those this call fetched first
   */
  public List<InboxMessage> fetch(String organizationId, String contactId, int limit, Instant now) {
    List<InboxMessage> listed =
        jdbc.sql(
                """
                select i.message_id, m.campaign_id, m.lead_pk, m.step_type, i.title, i.body,
                       i.created_at, i.fetched_at, i.read_at
                  from inbox_messages i join messages m on m.id = i.message_id
                 where i.organization_id = ? and i.contact_id = ?
                 order by i.created_at desc, i.message_id desc
                 limit ?
                """)
            .params(organizationId, contactId, limit)
            .query(InboxMessages::map)
            .list();
    List<String> unfetched =
        listed.stream().filter(m -> m.fetchedAt() == null).map(InboxMessage::messageId).toList();
    if (!unfetched.isEmpty()) {
      jdbc.sql(
              "update inbox_messages set fetched_at = :now where message_id in (:ids)"
                  + " and fetched_at is null")
          .param("now", Timestamp.from(now))
          .param("ids", unfetched)
          .update();
    }
    return listed;
  }

  public Optional<InboxMessage> of(String organizationId, String contactId, String messageId) {
    return jdbc.sql(
            """
            select i.message_id, m.campaign_id, m.lead_pk, m.step_type, i.title, i.body,
                   i.created_at, i.fetched_at, i.read_at
              from inbox_messages i join messages m on m.id = i.message_id
             where i.organization_id = ? and i.contact_id = ? and i.message_id = ?
            """)
        .params(organizationId, contactId, messageId)
        .query(InboxMessages::map)
        .optional();
  }

  /**
   * Marks the message read (and fetched, if it was not yet).
   *
   * @return whether it was unread until now
   */
  public boolean markRead(String messageId, Instant now) {
    return jdbc.sql(
                "update inbox_messages set read_at = ?, fetched_at = coalesce(fetched_at, ?)"
                    + " where message_id = ? and read_at is null")
            .params(Timestamp.from(now), Timestamp.from(now), messageId)
            .update()
        > 0;
  }

  private static InboxMessage map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    Timestamp fetched = rs.getTimestamp("fetched_at");
    Timestamp read = rs.getTimestamp("read_at");
    return new InboxMessage(
        rs.getString("message_id"),
        rs.getString("campaign_id"),
        rs.getLong("lead_pk"),
        rs.getString("step_type"),
        rs.getString("title"),
        rs.getString("body"),
        rs.getTimestamp("created_at").toInstant(),
        fetched == null ? null : fetched.toInstant(),
        read == null ? null : read.toInstant());
  }
}
