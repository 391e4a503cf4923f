package dev.sequencer.activities.messaging;

/** Hands an SMS to a carrier gateway, or to the dry-run outbox when none is configured. */
public interface SmsSender {
  SmsReceipt send(OutboundSms sms);
}
