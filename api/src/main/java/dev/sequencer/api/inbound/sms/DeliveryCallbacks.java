package dev.sequencer.api.inbound.sms;

import dev.sequencer.api.control.OptOuts;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.store.message.Message;
import dev.sequencer.store.message.MessageStatus;
import dev.sequencer.store.message.Messages;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Twilio's status callbacks: a message's final fate (delivered, undelivered, failed) goes onto the
 * message, the step that sent it and the lead's timeline; error 21610 (the recipient texted STOP to
 * the carrier) opts the number out.
 */
@Service
class DeliveryCallbacks {

  /** Twilio: "Attempt to send to unsubscribed recipient" — the carrier blocks the number. */
  static final String CARRIER_UNSUBSCRIBED = "21610";

  private static final Logger log = LoggerFactory.getLogger(DeliveryCallbacks.class);

  private static final Map<String, String> KNOWN_ERRORS =
      Map.of(
          CARRIER_UNSUBSCRIBED,
          "the recipient has unsubscribed (STOP) at the carrier",
          "30003",
          "unreachable destination handset",
          "30004",
          "message blocked",
          "30005",
          "unknown destination handset",
          "30006",
          "landline or unreachable carrier",
          "30007",
          "message filtered by the carrier",
          "30008",
          "unknown error");

  private final Messages messages;
  private final LeadQueries leads;
  private final LeadTimeline timeline;
  private final OptOuts optOuts;
  private final TransactionTemplate transaction;
  private final Clock clock;

  DeliveryCallbacks(
      Messages messages,
      LeadQueries leads,
      LeadTimeline timeline,
      OptOuts optOuts,
      TransactionTemplate transaction,
      Clock clock) {
    this.messages = messages;
    this.leads = leads;
    this.timeline = timeline;
    this.optOuts = optOuts;
    this.transaction = transaction;
    this.clock = clock;
  }

  void handle(Map<String, String> callback) {
    String sid = blankToNull(callback.get("MessageSid"));
    String reported = blankToNull(callback.get("MessageStatus"));
    String errorCode = blankToNull(callback.get("ErrorCode"));
    if (sid == null || reported == null) {
      log.info("Twilio status callback without MessageSid or MessageStatus; ignored");
      return;
    }
    MessageStatus outcome =
        switch (reported.toLowerCase(Locale.ROOT)) {
          case "delivered" -> MessageStatus.DELIVERED;
          case "undelivered" -> MessageStatus.UNDELIVERED;
          case "failed" -> MessageStatus.FAILED;
          default -> null; // queued, sending, sent, ...: on its way, nothing to record
        };
    if (outcome == null) {
      return;
    }
    Optional<Message> found = messages.byProviderMessageId(sid);
    if (found.isEmpty()) {
      log.info("Twilio status callback for unknown message {} ({}); ignored", sid, reported);
      return;
    }
    Message message = found.get();
    String errorMessage =
        outcome == MessageStatus.DELIVERED ? null : describe(errorCode, callback, reported);
    boolean changed =
        Boolean.TRUE.equals(
            transaction.execute(
                tx -> {
                  if (!messages.recordDeliveryOutcome(
                      message.id(),
                      outcome,
                      outcome == MessageStatus.DELIVERED ? null : errorCode,
                      errorMessage)) {
                    return false;
                  }
                  leads.markStepOfMessage(
                      message.id(),
                      outcome == MessageStatus.DELIVERED ? "delivered" : "failed",
                      outcome == MessageStatus.DELIVERED
                          ? null
                          : errorCode == null ? outcome.wireName() : errorCode);
                  timeline.record(
                      message.organizationId(),
                      message.campaignId(),
                      message.leadPk(),
                      message.id(),
                      message.stepType(),
                      outcome.wireName(),
                      message.channel().toLowerCase(Locale.ROOT)
                          + " to "
                          + message.recipient()
                          + " "
                          + outcome.wireName()
                          + " ("
                          + sid
                          + ")"
                          + (errorMessage == null ? "" : ": " + errorMessage),
                      clock.instant());
                  return true;
                }));
    if (!changed) {
      log.debug("message {} already has its outcome; callback {} ignored", message.id(), reported);
      return;
    }
    if (CARRIER_UNSUBSCRIBED.equals(errorCode) && OptOuts.SMS.equals(message.channel())) {
      optOuts.optOut(
          message.organizationId(),
          OptOuts.SMS,
          message.recipient(),
          "carrier",
          "Twilio error " + CARRIER_UNSUBSCRIBED + " for message " + sid);
    }
  }

  private static String describe(String errorCode, Map<String, String> callback, String status) {
    String text = blankToNull(callback.get("ErrorMessage"));
    if (text == null && errorCode != null) {
      text = KNOWN_ERRORS.get(errorCode);
    }
    if (errorCode == null) {
      return text == null ? status.toLowerCase(Locale.ROOT) : text;
    }
    return "Twilio error " + errorCode + (text == null ? "" : ": " + text);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
