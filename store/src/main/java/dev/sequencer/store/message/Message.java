package dev.sequencer.store.message;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One message of one step to one lead, from the first send attempt to its delivery outcome.
 *
 * @param inReplyTo for an email follow-up sent in the hook's thread, the hook's Message-ID
 * @param senderId the registered sender it goes out from, or null
 * @param senderDay the day of the sender's capacity it holds a unit of, or null
 */
public record Message(
    String id,
    String organizationId,
    String campaignId,
    long leadPk,
    String stepType,
    String variant,
    String channel,
    String idempotencyKey,
    String recipient,
    String subject,
    String bodyText,
    String bodyHtml,
    String providerMessageId,
    MessageStatus status,
    boolean dryRun,
    Integer segments,
    String errorCode,
    String errorMessage,
    Instant createdAt,
    Instant sentAt,
    Integer campaignRevision,
    LocalDate quotaDay,
    Instant quotaMinute,
    String inReplyTo,
    String senderId,
    LocalDate senderDay,
    String contentSid) {

  public Message(
      String id,
      String organizationId,
      String campaignId,
      long leadPk,
      String stepType,
      String variant,
      String channel,
      String idempotencyKey,
      String recipient,
      String subject,
      String bodyText,
      String bodyHtml,
      String providerMessageId,
      MessageStatus status,
      boolean dryRun,
      Integer segments,
      String errorCode,
      String errorMessage,
      Instant createdAt,
      Instant sentAt,
      Integer campaignRevision,
      LocalDate quotaDay,
      Instant quotaMinute,
      String inReplyTo,
      String senderId,
      LocalDate senderDay) {
    this(
        id,
        organizationId,
        campaignId,
        leadPk,
        stepType,
        variant,
        channel,
        idempotencyKey,
        recipient,
        subject,
        bodyText,
        bodyHtml,
        providerMessageId,
        status,
        dryRun,
        segments,
        errorCode,
        errorMessage,
        createdAt,
        sentAt,
        campaignRevision,
        quotaDay,
        quotaMinute,
        inReplyTo,
        senderId,
        senderDay,
        null);
  }

  /** Whether it went out as an approved WhatsApp template (its text holds the variables). */
  public boolean whatsappTemplate() {
    return contentSid != null;
  }

  public Message withHoldings(
      LocalDate quotaDay, Instant quotaMinute, String senderId, LocalDate senderDay) {
    return new Message(
        id,
        organizationId,
        campaignId,
        leadPk,
        stepType,
        variant,
        channel,
        idempotencyKey,
        recipient,
        subject,
        bodyText,
        bodyHtml,
        providerMessageId,
        status,
        dryRun,
        segments,
        errorCode,
        errorMessage,
        createdAt,
        sentAt,
        campaignRevision,
        quotaDay,
        quotaMinute,
        inReplyTo,
        senderId,
        senderDay,
        contentSid);
  }
}
