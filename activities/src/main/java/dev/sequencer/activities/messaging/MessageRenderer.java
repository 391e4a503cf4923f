package dev.sequencer.activities.messaging;

import dev.sequencer.config.SequencerProperties;
import dev.sequencer.content.Escaping;
import dev.sequencer.content.SmsSegments;
import dev.sequencer.content.TemplateRenderer;
import dev.sequencer.content.ThreadSubjects;
import dev.sequencer.store.Ids;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStep;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.message.Message;
import dev.sequencer.store.message.MessageStatus;
import dev.sequencer.store.message.Messages;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Renders a step for a lead into the message that will be recorded and handed over. */
@Component
class MessageRenderer {

  /** A message as recorded, and for email the original links behind its tracking links. */
  record Rendered(Message message, List<String> links) {}

  private final EmailComposer composer;
  private final Messages messages;
  private final SequencerProperties properties;
  private final JsonMapper json;
  private final TemplateRenderer templates = new TemplateRenderer();

  private final WhatsappSession whatsappSession;

  MessageRenderer(
      EmailComposer composer,
      Messages messages,
      SequencerProperties properties,
      JsonMapper json,
      WhatsappSession whatsappSession) {
    this.whatsappSession = whatsappSession;
    this.composer = composer;
    this.messages = messages;
    this.properties = properties;
    this.json = json;
  }

  /**
   * @param campaign the campaign on the channel the step goes out on
   * @param recipient the lead's address on that channel (for a webhook, the step's URL; in-app, the
   *     inbox)
   */
  Rendered render(
      Campaign campaign, Lead lead, CampaignStep step, String key, Instant now, String recipient) {
    Map<String, Object> variables = LeadVariables.of(lead, json);
    String id = Ids.next("msg");
    Channel channel = campaign.channel();
    if (channel != Channel.EMAIL && channel != Channel.SMS) {
      return new Rendered(
          other(campaign, lead, step, key, now, recipient, id, variables), List.of());
    }
    boolean isEmail = channel == Channel.EMAIL;
    Thread thread = isEmail ? threadOf(campaign, lead, step, key, variables) : null;
    EmailComposer.ComposedEmail composed =
        isEmail ? composer.compose(campaign, lead, step, id, variables, thread.subject()) : null;
    String text =
        isEmail ? composed.text() : templates.render(step.body(), variables, Escaping.NONE);
    Message message =
        new Message(
            id,
            lead.organizationId(),
            campaign.id(),
            lead.id(),
            step.type().wireName(),
            variantOf(lead),
            channel.name(),
            key,
            recipient,
            isEmail ? composed.subject() : null,
            text,
            isEmail ? composed.html() : null,
            // The Message-ID is ours to choose, so it is fixed before the hand-over: a reply that
            // arrives at once finds its message, and a hand-over repeated after a crash is the
            // same message to the recipient's mail client.
            isEmail ? messageIdHeader(campaign, id) : null,
            MessageStatus.SENDING,
            !isEmail && !properties.twilio().sendsThroughTwilio(),
            isEmail ? null : SmsSegments.of(text).segments(),
            null,
            null,
            now,
            null,
            campaign.revision(),
            null,
            null,
            isEmail ? thread.inReplyTo() : null,
            lead.senderId(),
            null);
    return new Rendered(message, isEmail ? composed.links() : List.of());
  }

  /** A message on WhatsApp, to a webhook or to the in-app inbox. */
  private Message other(
      Campaign campaign,
      Lead lead,
      CampaignStep step,
      String key,
      Instant now,
      String recipient,
      String id,
      Map<String, Object> variables) {
    String subject = null;
    String text;
    String contentSid = null;
    boolean dryRun = false;
    switch (campaign.channel()) {
      case WHATSAPP -> {
        dryRun = !properties.twilio().sendsThroughTwilio();
        if (step.body() != null
            && whatsappSession.open(
                lead.organizationId(), campaign.sender().phone(), recipient, now)) {
          text = templates.render(step.body(), variables, Escaping.NONE);
        } else {
          // Outside the 24 hours after the lead last wrote, WhatsApp takes only an approved
          // template: its text is the rendered variables, as Twilio receives them.
          contentSid = step.contentSid();
          text = StepTemplates.variables(json, step, variables);
        }
      }
      case WEBHOOK -> text = StepTemplates.payload(json, step, variables);
      case IN_APP -> {
        String title = step.title() != null ? step.title() : step.subject();
        subject = title == null ? null : templates.render(title, variables, Escaping.NONE);
        text = templates.render(step.body(), variables, Escaping.NONE);
      }
      default -> throw new IllegalStateException("not rendered here: " + campaign.channel());
    }
    return new Message(
        id,
        lead.organizationId(),
        campaign.id(),
        lead.id(),
        step.type().wireName(),
        variantOf(lead),
        campaign.channel().name(),
        key,
        recipient,
        subject,
        text,
        null,
        null,
        MessageStatus.SENDING,
        dryRun,
        null,
        null,
        null,
        now,
        null,
        campaign.revision(),
        null,
        null,
        null,
        lead.senderId(),
        null,
        contentSid);
  }

  /** An email's subject, and the message it answers when it goes out in the hook's thread. */
  private record Thread(String subject, String inReplyTo) {}

  /**
   * A follow-up without a subject of its own answers the hook: "Re: " and the subject the hook went
   * out with, in reply to its Message-ID. A lead whose hook never went out (it failed) gets the
   * hook's subject on its own.
   */
  private Thread threadOf(
      Campaign campaign, Lead lead, CampaignStep step, String key, Map<String, Object> variables) {
    if (!step.repliesInThread()) {
      return new Thread(templates.render(step.subject(), variables, Escaping.NONE), null);
    }
    String hookKey = key.substring(0, key.lastIndexOf(':') + 1) + "0";
    Optional<Message> hook = messages.byIdempotencyKey(hookKey);
    // Only an emailed hook has a thread to answer (one that went out by text, in-app or not at all
    // has none): the follow-up then opens with the hook's own subject.
    if (hook.isPresent() && hook.get().subject() != null && "EMAIL".equals(hook.get().channel())) {
      return new Thread(ThreadSubjects.reply(hook.get().subject()), hook.get().providerMessageId());
    }
    CampaignStep hookStep = campaign.stepsOf(variantOf(lead)).get(0);
    String subject = hookStep.subject() != null ? hookStep.subject() : campaign.name();
    return new Thread(templates.render(subject, variables, Escaping.NONE), null);
  }

  static String variantOf(Lead lead) {
    return lead.variant() == null ? "A" : lead.variant();
  }

  private static String messageIdHeader(Campaign campaign, String messageId) {
    String sender = campaign.sender().email();
    return "<" + messageId + "@" + sender.substring(sender.indexOf('@') + 1) + ">";
  }
}
