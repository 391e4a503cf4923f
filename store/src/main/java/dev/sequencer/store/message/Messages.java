package dev.sequencer.store.message;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Messages, keyed by (workflow id, step) so that a retried send finds its earlier attempt. */
@Repository
public class Messages {

  private static final String COLUMNS =
      "id, organization_id, campaign_id, lead_pk, step_type, variant, channel, idempotency_key,"
          + " recipient, subject, body_text, body_html, provider_message_id, status, dry_run,"
          + " segments, error_code, error_message, created_at, sent_at, campaign_revision,"
          + " quota_day, quota_minute, in_reply_to, sender_id, sender_day, content_sid";

  private final JdbcClient jdbc;

  public Messages(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<Message> byIdempotencyKey(String key) {
    return jdbc.sql("select " + COLUMNS + " from messages where idempotency_key = ?")
        .param(key)
        .query(Messages::map)
        .optional();
  }

  /**
   * The attempt of a step, locked until the transaction ends, so two attempts of one step never
   * resolve it at the same time.
   */
  public Optional<Message> lockByIdempotencyKey(String key) {
    return jdbc.sql("select " + COLUMNS + " from messages where idempotency_key = ? for update")
        .param(key)
        .query(Messages::map)
        .optional();
  }

  /**
   * When this recipient last got a message of the organization from another lead's sequence (the
   * frequency cap), if after {@code since}.
   */
  public Optional<Instant> lastSentToOthers(
      String organizationId, String recipient, long leadPk, Instant since) {
    return jdbc.sql(
            "select coalesce(sent_at, created_at) from messages where organization_id = ? and recipient = ?"
                + " and lead_pk <> ? and status in ('SENDING', 'SENT', 'DELIVERED')"
                + " and coalesce(sent_at, created_at) > ?"
                + " order by coalesce(sent_at, created_at) desc limit 1")
        .params(organizationId, recipient, leadPk, Timestamp.from(since))
        .query((rs, n) -> rs.getTimestamp(1).toInstant())
        .optional();
  }

  /**
   * The last message to each recipient of the organization since {@code since}, from campaigns
   * other than {@code campaignId}: what a frequency cap must leave room for.
   */
  public java.util.Map<String, Instant> lastSentByRecipient(
      String organizationId, String campaignId, Instant since) {
    java.util.Map<String, Instant> last = new java.util.HashMap<>();
    jdbc.sql(
            "select recipient, max(coalesce(sent_at, created_at)) from messages"
                + " where organization_id = ? and campaign_id <> ?"
                + " and status in ('SENDING', 'SENT', 'DELIVERED')"
                + " and coalesce(sent_at, created_at) > ? group by recipient")
        .params(organizationId, campaignId, Timestamp.from(since))
        .query(
            rs -> {
              last.put(rs.getString(1), rs.getTimestamp(2).toInstant());
            });
    return last;
  }

  public Optional<Message> byId(String id) {
    return jdbc.sql("select " + COLUMNS + " from messages where id = ?")
        .param(id)
        .query(Messages::map)
        .optional();
  }

  public List<Message> ofLead(long leadPk) {
    return jdbc.sql("select " + COLUMNS + " from messages where lead_pk = ? order by created_at")
        .param(leadPk)
        .query(Messages::map)
        .list();
  }

  /**
   * Records the attempt before anything leaves the building: content, Message-ID and the limits'
   * units are fixed from here on, and the attempt holds the hand-over until {@code handOverUntil}.
   *
   * @return false when a message with the same idempotency key already exists
   */
  public boolean begin(Message m, Instant handOverUntil) {
    return jdbc.sql(
                """
                insert into messages (id, organization_id, campaign_id, lead_pk, step_type, variant,
                       channel, idempotency_key, recipient, subject, body_text, body_html,
                       provider_message_id, status, dry_run, segments, created_at, updated_at,
                       campaign_revision, quota_day, quota_minute, handover_until, in_reply_to,
                       sender_id, sender_day, content_sid)
                values (:id, :org, :campaign, :lead, :step, :variant, :channel, :key, :recipient,
                        :subject, :text, :html, :provider, :status, :dryRun, :segments, :now, :now,
                        :revision, :quotaDay, :quotaMinute, :until, :inReplyTo, :senderId,
                        :senderDay, :contentSid)
                on conflict (idempotency_key) do nothing
                """)
            .param("id", m.id())
            .param("inReplyTo", m.inReplyTo())
            .param("senderId", m.senderId())
            .param("senderDay", m.senderDay())
            .param("contentSid", m.contentSid())
            .param("org", m.organizationId())
            .param("campaign", m.campaignId())
            .param("lead", m.leadPk())
            .param("step", m.stepType())
            .param("variant", m.variant())
            .param("channel", m.channel())
            .param("key", m.idempotencyKey())
            .param("recipient", m.recipient())
            .param("subject", m.subject())
            .param("text", m.bodyText())
            .param("html", m.bodyHtml())
            .param("provider", m.providerMessageId())
            .param("status", m.status().name())
            .param("dryRun", m.dryRun())
            .param("segments", m.segments())
            .param("now", Timestamp.from(m.createdAt()))
            .param("revision", m.campaignRevision())
            .param("quotaDay", m.quotaDay())
            .param("quotaMinute", m.quotaMinute() == null ? null : Timestamp.from(m.quotaMinute()))
            .param("until", Timestamp.from(handOverUntil))
            .update()
        > 0;
  }

  /**
   * Takes the hand-over of an attempt whose outcome is unknown, unless another attempt holds it.
   *
   * @return false while another attempt of the step may still be handing the message over
   */
  public boolean claimHandOver(String id, Instant now, Instant until) {
    return jdbc.sql(
                "update messages set handover_until = ?, attempts = attempts + 1,"
                    + " updated_at = now() where id = ? and status = 'SENDING'"
                    + " and (handover_until is null or handover_until <= ?)")
            .params(Timestamp.from(until), id, Timestamp.from(now))
            .update()
        > 0;
  }

  /** Ends this attempt's hand-over without an outcome, so the next attempt may resolve it. */
  public void releaseHandOver(String id) {
    jdbc.sql(
            "update messages set handover_until = null, updated_at = now()"
                + " where id = ? and status = 'SENDING'")
        .param(id)
        .update();
  }

  /**
   * Records the hand-over.
   *
   * @return false when the message was no longer waiting for it (an earlier attempt recorded it)
   */
  public boolean markSent(String id, String providerMessageId, Instant sentAt) {
    // In the same statement, the organization's contacts with the recipient's address or number
    // were contacted now ("not contacted within N days" of audiences); a dry run reached nobody.
    return jdbc.sql(
                """
                with sent as (
                  update messages set status = 'SENT',
                         provider_message_id = coalesce(?, provider_message_id), sent_at = ?,
                         handover_until = null, updated_at = now()
                   where id = ? and status = 'SENDING'
                  returning organization_id, recipient, sent_at, dry_run),
                touched as (
                  update contacts c
                     set last_contacted_at = greatest(coalesce(c.last_contacted_at, s.sent_at),
                                                      s.sent_at)
                    from sent s
                   where not s.dry_run and c.organization_id = s.organization_id
                     and (c.email = s.recipient or c.phone = s.recipient)
                  returning 1)
                select count(*) from sent
                """)
            .params(providerMessageId, Timestamp.from(sentAt), id)
            .query(Long.class)
            .single()
        > 0;
  }

  public void markFailed(String id, String errorCode, String errorMessage) {
    markEnded(id, MessageStatus.FAILED, errorCode, errorMessage);
  }

  /** Ends an attempt that never reached the provider, or whose outcome is beyond knowing. */
  public void markEnded(String id, MessageStatus status, String errorCode, String errorMessage) {
    jdbc.sql(
            "update messages set status = ?, error_code = ?, error_message = ?,"
                + " handover_until = null, updated_at = now() where id = ? and status = 'SENDING'")
        .params(status.name(), errorCode, errorMessage, id)
        .update();
  }

  /**
   * Ends the attempts of a lead whose sequence ended while their hand-over's outcome was still
   * unknown (retries ran out, or it was stopped before a retry): no retry will resolve them.
   */
  public int endUnresolved(long leadPk, String reason) {
    return jdbc.sql(
            "update messages set status = 'UNCONFIRMED', error_code = ?, error_message = ?,"
                + " handover_until = null, updated_at = now()"
                + " where lead_pk = ? and status = 'SENDING'")
        .params(reason, "the sequence ended before this hand-over's outcome was known", leadPk)
        .update();
  }

  /** How many messages of the campaign are being handed over right now. */
  public int handingOver(String campaignId, Long leadPk, Instant now) {
    return jdbc.sql(
            "select count(*) from messages where status = 'SENDING' and campaign_id = ?"
                + " and (cast(? as bigint) is null or lead_pk = ?) and handover_until > ?")
        .params(campaignId, leadPk, leadPk, Timestamp.from(now))
        .query(Integer.class)
        .single();
  }

  /** The message the provider knows by {@code providerMessageId} (a Twilio message SID). */
  public Optional<Message> byProviderMessageId(String providerMessageId) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from messages where provider_message_id = ? order by created_at desc limit 1")
        .param(providerMessageId)
        .query(Messages::map)
        .optional();
  }

  /**
   * Records the provider's final word on a message: {@code DELIVERED}, {@code UNDELIVERED} or
   * {@code FAILED} with the provider's error. Only a message still on its way (sending or sent)
   * changes, so a repeated or late callback changes nothing.
   *
   * @return whether the message changed
   */
  public boolean recordDeliveryOutcome(
      String id, MessageStatus status, String errorCode, String errorMessage) {
    return jdbc.sql(
                "update messages set status = ?, error_code = coalesce(?, error_code),"
                    + " error_message = coalesce(?, error_message), updated_at = now()"
                    + " where id = ? and status in ('SENDING', 'SENT')")
            .params(status.name(), errorCode, errorMessage, id)
            .update()
        > 0;
  }

  static Message map(ResultSet rs, int row) throws SQLException {
    Timestamp sent = rs.getTimestamp("sent_at");
    Timestamp minute = rs.getTimestamp("quota_minute");
    return new Message(
        rs.getString("id"),
        rs.getString("organization_id"),
        rs.getString("campaign_id"),
        rs.getLong("lead_pk"),
        rs.getString("step_type"),
        rs.getString("variant"),
        rs.getString("channel"),
        rs.getString("idempotency_key"),
        rs.getString("recipient"),
        rs.getString("subject"),
        rs.getString("body_text"),
        rs.getString("body_html"),
        rs.getString("provider_message_id"),
        MessageStatus.valueOf(rs.getString("status")),
        rs.getBoolean("dry_run"),
        (Integer) rs.getObject("segments"),
        rs.getString("error_code"),
        rs.getString("error_message"),
        rs.getTimestamp("created_at").toInstant(),
        sent == null ? null : sent.toInstant(),
        (Integer) rs.getObject("campaign_revision"),
        rs.getObject("quota_day", java.time.LocalDate.class),
        minute == null ? null : minute.toInstant(),
        rs.getString("in_reply_to"),
        rs.getString("sender_id"),
        rs.getObject("sender_day", java.time.LocalDate.class),
        rs.getString("content_sid"));
  }
}
