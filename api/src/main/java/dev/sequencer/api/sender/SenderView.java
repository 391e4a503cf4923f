package dev.sequencer.api.sender;

import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.sender.RegisteredSender;
import dev.sequencer.store.sender.SenderCapacity;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A sender as the API shows it: never a password or a private key, only what identifies them.
 *
 * @param limitToday what it may send today (its ramp applied), null without a limit
 * @param sentToday the units of today's capacity taken (sent, or held by steps waiting for them)
 */
record SenderView(
    String senderId,
    String status,
    String pauseReason,
    String channel,
    String email,
    String phone,
    String name,
    Integer dailyLimit,
    Ramp ramp,
    Integer limitToday,
    int sentToday,
    Integer minSpacingSeconds,
    String timezone,
    Smtp smtp,
    Imap imap,
    Dkim dkim,
    String registeredBy,
    Instant createdAt) {

  record Ramp(int start, int increasePerDay, LocalDate from) {}

  record Smtp(String host, int port, String username, boolean starttls) {}

  record Imap(String host, int port, String username, boolean ssl) {}

  /**
   * @param dnsName where the public key is published
   * @param dnsValue the TXT record to publish there
   */
  record Dkim(String domain, String selector, String dnsName, String dnsValue) {}

  static SenderView of(RegisteredSender sender, int usedToday, LocalDate today, String dkimTxt) {
    boolean email = sender.channel() == Channel.EMAIL;
    SenderCapacity capacity = sender.capacity();
    return new SenderView(
        sender.id(),
        sender.status().wireName(),
        sender.pauseReason(),
        sender.channel().wireName(),
        email ? sender.address() : null,
        email ? null : sender.address(),
        sender.name(),
        capacity.dailyLimit(),
        capacity.rampStart() == null
            ? null
            : new Ramp(
                capacity.rampStart(),
                capacity.rampIncrease() == null ? 0 : capacity.rampIncrease(),
                capacity.rampFrom()),
        capacity.dailyLimit() == null ? null : capacity.limitOn(today),
        usedToday,
        capacity.minSpacingSeconds(),
        capacity.timezone(),
        sender.smtp() == null
            ? null
            : new Smtp(
                sender.smtp().host(),
                sender.smtp().port(),
                sender.smtp().username(),
                sender.smtp().starttls()),
        sender.imap() == null
            ? null
            : new Imap(
                sender.imap().host(),
                sender.imap().port(),
                sender.imap().username(),
                sender.imap().ssl()),
        sender.dkim() == null
            ? null
            : new Dkim(
                sender.dkim().domain(),
                sender.dkim().selector(),
                sender.dkim().selector() + "._domainkey." + sender.dkim().domain(),
                dkimTxt),
        sender.registeredBy(),
        sender.createdAt());
  }
}
