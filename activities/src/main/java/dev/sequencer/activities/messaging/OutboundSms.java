package dev.sequencer.activities.messaging;

/**
 * A text to hand to the carrier: an SMS, or a WhatsApp message ({@code whatsapp:} addresses).
 *
 * @param contentSid an approved WhatsApp template, sent with {@code contentVariables} (JSON)
 *     instead of a body, or null
 */
public record OutboundSms(
    String from,
    String to,
    String body,
    String statusCallbackUrl,
    String contentSid,
    String contentVariables) {

  public OutboundSms(String from, String to, String body, String statusCallbackUrl) {
    this(from, to, body, statusCallbackUrl, null, null);
  }
}
