package dev.sequencer.api.auth;

import java.util.Locale;

/**
 * What a route needs. {@code read}: every {@code GET}. {@code control}: the support staff's work
 * (campaign and lead pause, resume, cancel; opt-outs; replies; conversions). {@code manage}:
 * everything else in the organization (campaigns, leads, keys, the audit log). {@code platform}:
 * creating organizations, with the platform admin key only.
 */
public enum Permission {
  READ,
  CONTROL,
  MANAGE,
  PLATFORM;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
