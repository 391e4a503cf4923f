package dev.sequencer.store.webhook;

import java.time.Instant;

/** One event's delivery to one endpoint, as its delivery log shows it. */
public record WebhookDelivery(
    long id,
    String eventId,
    String type,
    String status,
    int attempts,
    Integer responseStatus,
    String lastError,
    Instant createdAt,
    Instant lastAttemptAt,
    Instant nextAttemptAt) {

  public static final String PENDING = "pending";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";

  /** The id the API shows: {@code dlv_} and the row's number. */
  public String publicId() {
    return publicId(id);
  }

  public static String publicId(long id) {
    return "dlv_" + id;
  }

  /** The row number of a public id, or -1 when it is not one. */
  public static long rowOf(String publicId) {
    if (publicId == null || !publicId.matches("dlv_[0-9]{1,18}")) {
      return -1;
    }
    return Long.parseLong(publicId.substring(4));
  }
}
