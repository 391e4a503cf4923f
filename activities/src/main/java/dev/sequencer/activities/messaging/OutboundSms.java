package dev.sequencer.activities.messaging;

public record OutboundSms(String from, String to, String body, String statusCallbackUrl) {}
