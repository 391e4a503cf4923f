package dev.sequencer.api.lead;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A lead with its steps, messages and timeline: the answer to "why did (not) this lead get that".
 *
 * @param senderId the registered sender all of its steps come from, null before enrolment
 */
public record LeadResponse(
    String leadId,
    String status,
    String variant,
    String workflowId,
    String email,
    String phone,
    String firstName,
    String lastName,
    String company,
    String title,
    String timezone,
    Map<String, Object> attributes,
    Instant createdAt,
    List<Step> steps,
    List<MessageView> messages,
    List<TimelineEntry> timeline,
    String senderId,
    List<Generated> generated,
    String whatsapp) {

  /**
   * A step's generated copy: what the model wrote, what the quality gate said, and what it cost.
   *
   * @param status {@code accepted}, {@code rejected}, {@code failed}, {@code awaiting_review},
   *     {@code approved} or {@code edited}
   */
  public record Generated(
      String step,
      String status,
      String subject,
      String body,
      String rejections,
      String failure,
      int attempts,
      String model,
      long promptTokens,
      long completionTokens,
      String prompt,
      Instant createdAt,
      Instant reviewedAt,
      String reviewedBy) {

    public static Generated of(dev.sequencer.store.generation.LeadGeneration g) {
      return new Generated(
          g.step(),
          g.status(),
          g.subject(),
          g.body(),
          g.rejections(),
          g.failure(),
          g.attempts(),
          g.model(),
          g.promptTokens(),
          g.completionTokens(),
          g.prompt(),
          g.createdAt(),
          g.reviewedAt(),
          g.reviewedBy());
    }
  }

  /**
   * @param channel the channel its message went out on, or, before that, the step's first channel
   */
  public record Step(
      String type,
      String status,
      Instant scheduledAt,
      Instant sentAt,
      String reason,
      String messageId,
      String channel) {

    public static Step of(dev.sequencer.store.lead.LeadStep s, String channel) {
      return new Step(
          s.type(), s.status(), s.scheduledAt(), s.sentAt(), s.reason(), s.messageId(), channel);
    }
  }

  /**
   * @param dryRun true when the message was recorded in the dry-run outbox and never reached a
   *     carrier
   * @param revision the campaign revision whose copy the message was rendered from
   * @param senderId the registered sender it went out from
   */
  public record MessageView(
      String messageId,
      String step,
      String channel,
      String to,
      String subject,
      String body,
      String status,
      boolean dryRun,
      Integer segments,
      String providerMessageId,
      String error,
      Instant sentAt,
      Integer revision,
      String senderId) {

    public static MessageView of(dev.sequencer.store.message.Message m) {
      return new MessageView(
          m.id(),
          m.stepType(),
          m.channel().toLowerCase(java.util.Locale.ROOT),
          m.recipient(),
          m.subject(),
          m.bodyText(),
          m.status().wireName(),
          m.dryRun(),
          m.segments(),
          m.providerMessageId(),
          m.errorMessage(),
          m.sentAt(),
          m.campaignRevision(),
          m.senderId());
    }
  }

  public record TimelineEntry(Instant at, String event, String step, String detail) {

    public static TimelineEntry of(dev.sequencer.store.lead.LeadEvent e) {
      return new TimelineEntry(e.at(), e.event(), e.step(), e.detail());
    }
  }
}
