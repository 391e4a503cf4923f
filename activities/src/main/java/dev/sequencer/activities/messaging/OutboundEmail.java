package dev.sequencer.activities.messaging;

/**
 * An email ready to go; {@code messageIdHeader} is set on the message for reply matching, and the
 * unsubscribe targets become the RFC 8058 {@code List-Unsubscribe} headers.
 *
 * @param inReplyTo the Message-ID of the message this one answers in its thread, or null
 * @param smtp the sender's own relay, or null for the service's default relay
 * @param dkim the key that DKIM-signs the message, or null to send it unsigned
 */
public record OutboundEmail(
    String messageIdHeader,
    String fromAddress,
    String fromName,
    String replyTo,
    String to,
    String subject,
    String text,
    String html,
    String unsubscribeUrl,
    String unsubscribeMailto,
    String inReplyTo,
    SmtpAccount smtp,
    DkimKey dkim) {}
