package dev.sequencer.store.webhook;

import java.time.Instant;
import java.util.List;

/**
 * An organization's webhook endpoint. {@code secret} is the signing secret in the clear ({@code
 * whsec_…}); it leaves the service only in the answer that created it.
 */
public record WebhookEndpoint(
    String id,
    String organizationId,
    String url,
    List<String> events,
    String secret,
    String status,
    Instant failingSince,
    Instant disabledAt,
    String disabledReason,
    Instant createdAt) {

  public static final String ACTIVE = "active";
  public static final String DISABLED = "disabled";

  public boolean active() {
    return ACTIVE.equals(status);
  }

  /** Without the secret: a record's own would print it into any log that names the endpoint. */
  @Override
  public String toString() {
    return "WebhookEndpoint[" + id + " of " + organizationId + ", " + url + ", " + status + "]";
  }
}
