package dev.sequencer.activities.messaging;

/** An email ready to go; {@code messageIdHeader} is set on the message for reply matching. */
public record OutboundEmail(
    String messageIdHeader,
    String fromAddress,
    String fromName,
    String replyTo,
    String to,
    String subject,
    String text,
    String html) {}
