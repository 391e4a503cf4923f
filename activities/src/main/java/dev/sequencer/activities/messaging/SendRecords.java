package dev.sequencer.activities.messaging;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.health.AutoPauses;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.store.message.Message;
import dev.sequencer.store.message.MessageStatus;
import dev.sequencer.store.message.Messages;
import dev.sequencer.workflows.lead.LeadEnding;
import dev.sequencer.workflows.lead.SendResult;
import java.time.Instant;
import java.util.Locale;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records what became of a message, each outcome in one transaction: the message, its step and the
 * lead's timeline change together or not at all, and recording again changes nothing.
 */
@Component
class SendRecords {

  private final Messages messages;
  private final LeadSteps steps;
  private final LeadTimeline timeline;
  private final SendLimits limits;
  private final TransactionTemplate transaction;
  private final AutoPauses autoPauses;

  SendRecords(
      Messages messages,
      LeadSteps steps,
      LeadTimeline timeline,
      SendLimits limits,
      TransactionTemplate transaction,
      AutoPauses autoPauses) {
    this.autoPauses = autoPauses;
    this.messages = messages;
    this.steps = steps;
    this.timeline = timeline;
    this.limits = limits;
    this.transaction = transaction;
  }

  /**
   * The provider accepted the message. It counts towards its campaign's and sender's rates in the
   * same transaction, once: the send that reaches the auto-pause minimum may pause them.
   */
  SendResult sent(Message message, Campaign campaign, String providerId, Instant at) {
    return transaction.execute(
        tx -> {
          // When another attempt recorded it first, this reports what that one recorded.
          if (messages.markSent(message.id(), providerId, at)) {
            autoPauses.sent(campaign, message.senderId(), at);
          }
          return settled(messages.byId(message.id()).orElseThrow());
        });
  }

  /**
   * Makes the step and the timeline say what the message says, for a message whose outcome was
   * recorded by an attempt that died before it could record the rest. Call inside a transaction.
   */
  SendResult settled(Message message) {
    return switch (message.status()) {
      case FAILED -> {
        steps.close(message.leadPk(), message.stepType(), "failed", message.errorCode());
        recordOnce(message, "failed", message.errorCode() + ": " + message.errorMessage(), null);
        yield SendResult.failed(message.errorCode());
      }
      case UNCONFIRMED -> SendResult.stopped(LeadEnding.of(message.errorCode()));
      default -> {
        Instant sentAt = message.sentAt() == null ? message.createdAt() : message.sentAt();
        steps.markSent(message.leadPk(), message.stepType(), sentAt, message.id());
        recordOnce(message, "sent", describe(message), sentAt);
        yield SendResult.sent(sentAt, message.id());
      }
    };
  }

  /** The provider refused the message for good: it never went out, so its units go back. */
  SendResult failed(Message message, PermanentSendFailure failure, Instant at) {
    return transaction.execute(
        tx -> {
          messages.markFailed(message.id(), failure.code(), failure.getMessage());
          limits.giveBack(message);
          Message failed = messages.byId(message.id()).orElseThrow();
          steps.close(message.leadPk(), message.stepType(), "failed", failed.errorCode());
          recordOnce(failed, "failed", failed.errorCode() + ": " + failed.errorMessage(), at);
          return SendResult.failed(failed.errorCode());
        });
  }

  /**
   * An attempt of unknown outcome that may not be resolved, because the lead may no longer be
   * messaged: it stays on record as unconfirmed, neither sent nor failed. Call inside a
   * transaction.
   */
  void unconfirmed(Message message, String reason, Instant at) {
    messages.markEnded(
        message.id(),
        MessageStatus.UNCONFIRMED,
        reason,
        "the hand-over's outcome was never confirmed, and the lead may no longer be messaged");
    timeline.record(
        message.organizationId(),
        message.campaignId(),
        message.leadPk(),
        message.id(),
        message.stepType(),
        "unconfirmed",
        "a hand-over of this message may have reached the provider; not retried: " + reason,
        at);
  }

  private void recordOnce(Message message, String event, String detail, Instant at) {
    if (!timeline.hasMessageEvent(message.id(), event)) {
      timeline.record(
          message.organizationId(),
          message.campaignId(),
          message.leadPk(),
          message.id(),
          message.stepType(),
          event,
          detail,
          at == null ? message.createdAt() : at);
    }
  }

  private static String describe(Message message) {
    return (message.dryRun() ? "dry run, not handed to a carrier; " : "")
        + message.channel().toLowerCase(Locale.ROOT)
        + " to "
        + message.recipient()
        + " ("
        + message.providerMessageId()
        + ")";
  }
}
