package dev.sequencer.store.generation;

import java.time.Instant;

/**
 * The model's copy for one step of one lead.
 *
 * @param status {@link #ACCEPTED}, {@link #REJECTED}, {@link #FAILED}, {@link #AWAITING_REVIEW},
 *     {@link #APPROVED} or {@link #EDITED}
 * @param subject the text's subject (null: the template's), for rejected ones the last attempt's
 * @param rejections the quality gate's reasons, {@code "; "}-joined, or null
 * @param failure why the model gave no text, or null
 * @param prompt what the model was asked last (system and user prompts)
 */
public record LeadGeneration(
    long leadPk,
    String step,
    String status,
    String subject,
    String body,
    String rejections,
    String failure,
    int attempts,
    String model,
    String prompt,
    long promptTokens,
    long completionTokens,
    Instant createdAt,
    Instant reviewedAt,
    String reviewedBy) {

  public static final String ACCEPTED = "accepted";
  public static final String REJECTED = "rejected";
  public static final String FAILED = "failed";
  public static final String AWAITING_REVIEW = "awaiting_review";
  public static final String APPROVED = "approved";
  public static final String EDITED = "edited";

  /** Whether this text (not the template) is what goes out. */
  public boolean sendable() {
    return ACCEPTED.equals(status) || APPROVED.equals(status) || EDITED.equals(status);
  }

  public boolean awaitingReview() {
    return AWAITING_REVIEW.equals(status);
  }
}
