package dev.sequencer.store.campaign;

/** Who a campaign's messages come from: an address and name for email, a number for SMS. */
public record Sender(String email, String name, String phone, String replyTo) {}
