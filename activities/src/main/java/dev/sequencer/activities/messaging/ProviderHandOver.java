package dev.sequencer.activities.messaging;

import dev.sequencer.config.SequencerProperties;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.message.Message;
import dev.sequencer.store.sender.DkimSettings;
import dev.sequencer.store.sender.RegisteredSender;
import dev.sequencer.store.sender.SmtpSettings;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Hands a recorded message to SMTP or Twilio. Runs outside any transaction and holds no database
 * connection: the attempt was committed before, and its outcome is recorded after.
 */
@Component
class ProviderHandOver {

  private final EmailSender email;
  private final SmsSender sms;
  private final EmailComposer composer;
  private final SequencerProperties properties;

  ProviderHandOver(
      EmailSender email, SmsSender sms, EmailComposer composer, SequencerProperties properties) {
    this.email = email;
    this.sms = sms;
    this.composer = composer;
    this.properties = properties;
  }

  /**
   * @param sender the lead's registered sender: its own SMTP account and DKIM key, if it has them
   * @return the provider's id of the message
   * @throws PermanentSendFailure when the provider refuses it for good
   */
  String deliver(Campaign campaign, Message message, RegisteredSender sender) {
    if (campaign.channel() == Channel.EMAIL) {
      EmailComposer.Unsubscribe unsubscribe =
          composer.unsubscribe(campaign, message.organizationId(), message.leadPk());
      return email.send(
          new OutboundEmail(
              message.providerMessageId(),
              campaign.sender().email(),
              campaign.sender().name(),
              campaign.sender().replyTo(),
              message.recipient(),
              message.subject(),
              message.bodyText(),
              message.bodyHtml(),
              unsubscribe.url(),
              unsubscribe.mailto(),
              message.inReplyTo(),
              smtpOf(sender),
              dkimOf(sender)));
    }
    return sms.send(outbound(campaign, message)).providerId();
  }

  /**
   * Resolves an attempt whose outcome was never recorded. Email goes out again with the same
   * Message-ID and content — one message to the recipient's client, however many deliveries; SMS is
   * looked up at the provider first and sent again only when the provider never got it.
   */
  String resolve(Campaign campaign, Message message, RegisteredSender sender) {
    if (campaign.channel() == Channel.SMS) {
      Optional<String> accepted =
          sms.findAccepted(
              outbound(campaign, message),
              message.dryRun() ? null : smsId(message),
              message.createdAt());
      if (accepted.isPresent()) {
        return accepted.get();
      }
    }
    return deliver(campaign, message, sender);
  }

  private static SmtpAccount smtpOf(RegisteredSender sender) {
    if (sender == null || sender.smtp() == null) {
      return null;
    }
    SmtpSettings smtp = sender.smtp();
    return new SmtpAccount(
        smtp.host(), smtp.port(), smtp.username(), smtp.password(), smtp.starttls());
  }

  private static DkimKey dkimOf(RegisteredSender sender) {
    if (sender == null || sender.dkim() == null) {
      return null;
    }
    DkimSettings dkim = sender.dkim();
    return new DkimKey(dkim.domain(), dkim.selector(), dkim.privateKeyPem());
  }

  private OutboundSms outbound(Campaign campaign, Message message) {
    return new OutboundSms(
        campaign.sender().phone(),
        message.recipient(),
        message.bodyText(),
        properties.publicUrl() + "/webhooks/twilio/status");
  }

  private static String smsId(Message message) {
    return message.providerMessageId();
  }
}
