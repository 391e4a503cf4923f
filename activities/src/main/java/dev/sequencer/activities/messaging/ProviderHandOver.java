package dev.sequencer.activities.messaging;

import dev.sequencer.activities.webhook.WebhookChannel;
import dev.sequencer.config.SequencerProperties;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.inbox.InboxMessages;
import dev.sequencer.store.message.Message;
import dev.sequencer.store.sender.DkimSettings;
import dev.sequencer.store.sender.RegisteredSender;
import dev.sequencer.store.sender.SmtpSettings;
import java.time.Instant;
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

  private final WebhookChannel webhooks;
  private final InboxMessages inbox;

  ProviderHandOver(
      EmailSender email,
      SmsSender sms,
      EmailComposer composer,
      SequencerProperties properties,
      WebhookChannel webhooks,
      InboxMessages inbox) {
    this.webhooks = webhooks;
    this.inbox = inbox;
    this.email = email;
    this.sms = sms;
    this.composer = composer;
    this.properties = properties;
  }

  /**
   * @param campaign the campaign on the message's channel
   * @param sender the lead's registered sender: its own SMTP account and DKIM key, if it has them
   * @param now the attempt's time
   * @return the provider's id of the message
   * @throws PermanentSendFailure when the provider refuses it for good
   */
  String deliver(Campaign campaign, Message message, RegisteredSender sender, Instant now) {
    return switch (campaign.channel()) {
      case EMAIL -> email(campaign, message, sender);
      case SMS, WHATSAPP -> sms.send(outbound(campaign, message)).providerId();
      case WEBHOOK -> webhooks.post(message, now);
      case IN_APP -> {
        inbox.add(message, now);
        yield message.id();
      }
    };
  }

  private String email(Campaign campaign, Message message, RegisteredSender sender) {
    {
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
  }

  /**
   * Resolves an attempt whose outcome was never recorded. Email goes out again with the same
   * Message-ID and content — one message to the recipient's client, however many deliveries; SMS is
   * looked up at the provider first and sent again only when the provider never got it.
   */
  String resolve(Campaign campaign, Message message, RegisteredSender sender, Instant now) {
    if (campaign.channel().isPhone()) {
      Optional<String> accepted =
          sms.findAccepted(
              outbound(campaign, message),
              message.dryRun() ? null : smsId(message),
              message.createdAt());
      if (accepted.isPresent()) {
        return accepted.get();
      }
    }
    return deliver(campaign, message, sender, now);
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
    String callback = properties.publicUrl() + "/webhooks/twilio/status";
    if (campaign.channel() == Channel.WHATSAPP) {
      // The same Twilio number, enabled for WhatsApp, on both ends with the channel's prefix.
      String from = "whatsapp:" + campaign.sender().phone();
      String to = "whatsapp:" + message.recipient();
      return message.whatsappTemplate()
          ? new OutboundSms(
              from, to, message.bodyText(), callback, message.contentSid(), message.bodyText())
          : new OutboundSms(from, to, message.bodyText(), callback);
    }
    return new OutboundSms(
        campaign.sender().phone(), message.recipient(), message.bodyText(), callback);
  }

  private static String smsId(Message message) {
    return message.providerMessageId();
  }
}
