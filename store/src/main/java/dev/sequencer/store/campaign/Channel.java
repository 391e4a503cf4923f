package dev.sequencer.store.campaign;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a step reaches its lead. */
public enum Channel {
  EMAIL,
  SMS,
  WHATSAPP,
  /** A signed POST of the step's JSON payload to the step's URL (a CRM task, a chat message). */
  WEBHOOK,
  /** A message in the contact's inbox, which an app reads over the API. */
  IN_APP;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Channel> fromWire(String name) {
    return name == null
        ? Optional.empty()
        : Arrays.stream(values()).filter(c -> c.wireName().equals(name)).findFirst();
  }

  /** Whether messages on this channel are texts to a phone number (SMS or WhatsApp). */
  public boolean isPhone() {
    return this == SMS || this == WHATSAPP;
  }

  /** Whether the recipient can opt out of it and be suppressed by address. */
  public boolean suppressible() {
    return this == EMAIL || this == SMS || this == WHATSAPP;
  }
}
