package dev.sequencer.activities.messaging;

import java.time.Instant;
import java.util.Optional;

/** Hands an SMS to a carrier gateway, or to the dry-run outbox when none is configured. */
public interface SmsSender {
  SmsReceipt send(OutboundSms sms);

  /**
   * Looks for a message an earlier attempt may have handed over before its outcome was recorded: by
   * its id when one was recorded, else by recipient, sender and body among those created since
   * {@code since}.
   *
   * @return the provider's id of that message, if the provider accepted it
   */
  Optional<String> findAccepted(OutboundSms sms, String knownProviderId, Instant since);
}
