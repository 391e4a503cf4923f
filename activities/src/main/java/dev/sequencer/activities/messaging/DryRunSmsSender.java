package dev.sequencer.activities.messaging;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Without Twilio credentials SMS is recorded, not sent: the message row is kept with {@code
 * dry_run} set, so it shows in the API as never handed to a carrier.
 */
public class DryRunSmsSender implements SmsSender {

  private static final Logger log = LoggerFactory.getLogger(DryRunSmsSender.class);

  @Override
  public SmsReceipt send(OutboundSms sms) {
    log.info(
        "SMS dry run (no Twilio credentials): {} characters to {}", sms.body().length(), sms.to());
    return new SmsReceipt("dryrun-" + UUID.randomUUID(), true);
  }

  /** A dry run reaches nobody, so recording it once more is harmless and nothing is looked up. */
  @Override
  public Optional<String> findAccepted(OutboundSms sms, String knownProviderId, Instant since) {
    return Optional.empty();
  }
}
