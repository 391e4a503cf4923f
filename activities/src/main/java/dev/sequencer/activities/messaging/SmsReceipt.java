package dev.sequencer.activities.messaging;

/**
 * @param providerId the carrier gateway's id (Twilio's message SID), or a local id for dry runs
 * @param dryRun true when the message was only recorded, not handed to a carrier
 */
public record SmsReceipt(String providerId, boolean dryRun) {}
