package dev.sequencer.api.inbound.sms;

import dev.sequencer.api.control.OptOuts;
import dev.sequencer.api.control.ReplyActions;
import dev.sequencer.config.SequencerProperties;
import dev.sequencer.content.PhoneNumbers;
import dev.sequencer.content.reply.Classification;
import dev.sequencer.content.reply.InboundReply;
import dev.sequencer.content.reply.ReplyClass;
import dev.sequencer.content.reply.ReplyClassifier;
import dev.sequencer.content.reply.SmsKeyword;
import dev.sequencer.content.reply.SmsKeywords;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.inbound.InboundMessages;
import dev.sequencer.store.inbound.WhatsappSessions;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.sender.Senders;
import dev.sequencer.store.suppression.Suppressions;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An SMS a lead sent to one of our numbers. The organizations are those whose SMS campaigns send
 * from the number it was sent to. STOP-type keywords opt the sender out in each of them (answered
 * with one confirmation, only when the number was not suppressed yet), START re-subscribes, HELP
 * answers the help text; anything else is a reply to the lead's sequence, classified and acted on.
 */
@Service
class InboundSms {

  static final String OPTED_OUT =
      "You have been unsubscribed and will receive no more messages from this number."
          + " Reply START to resubscribe.";
  static final String RESUBSCRIBED =
      "You have been resubscribed and may receive messages from this number again."
          + " Reply STOP to unsubscribe.";
  static final String DEFAULT_HELP =
      "Reply STOP to unsubscribe, START to resubscribe. Msg&data rates may apply.";

  /** How much of an inbound text the timeline keeps. */
  private static final int SUMMARY_LIMIT = 500;

  private static final Logger log = LoggerFactory.getLogger(InboundSms.class);

  /** The inbound record's source of texts received through Twilio, keyed by MessageSid. */
  static final String SOURCE = "twilio:sms";

  private static final String WHATSAPP_PREFIX = "whatsapp:";

  private final LeadQueries leads;
  private final CampaignRepository campaigns;
  private final Suppressions suppressions;
  private final OptOuts optOuts;
  private final ReplyActions replyActions;
  private final SequencerProperties properties;
  private final TransactionTemplate transaction;
  private final Senders senders;
  private final InboundMessages inbound;
  private final Clock clock;
  private final ReplyClassifier classifier = new ReplyClassifier();
  private final WhatsappSessions whatsappSessions;

  InboundSms(
      LeadQueries leads,
      CampaignRepository campaigns,
      Suppressions suppressions,
      OptOuts optOuts,
      ReplyActions replyActions,
      SequencerProperties properties,
      TransactionTemplate transaction,
      Senders senders,
      InboundMessages inbound,
      Clock clock,
      WhatsappSessions whatsappSessions) {
    this.whatsappSessions = whatsappSessions;
    this.leads = leads;
    this.campaigns = campaigns;
    this.suppressions = suppressions;
    this.optOuts = optOuts;
    this.replyActions = replyActions;
    this.properties = properties;
    this.transaction = transaction;
    this.senders = senders;
    this.inbound = inbound;
    this.clock = clock;
  }

  /**
   * @return the TwiML answer
   */
  String handle(Map<String, String> sms) {
    String sid = sms.get("MessageSid");
    if (sid == null || sid.isBlank()) {
      log.info("inbound SMS without MessageSid; ignored");
      return TwiML.empty();
    }
    // Once per MessageSid: a replayed request, even correctly signed, changes nothing (a captured
    // START must not re-subscribe a number that texted STOP since).
    if (!inbound.claim(SOURCE, sid, null, null, clock.instant())) {
      log.info("inbound SMS {} was processed before; the repeat changes nothing", sid);
      return TwiML.empty();
    }
    try {
      return handleOnce(sid, sms);
    } catch (RuntimeException e) {
      inbound.release(SOURCE, sid);
      throw e;
    }
  }

  private String handleOnce(String sid, Map<String, String> sms) {
    // WhatsApp reaches the same webhook with "whatsapp:" before both numbers.
    String rawFrom = sms.get("From");
    String channel =
        rawFrom != null && rawFrom.startsWith(WHATSAPP_PREFIX) ? OptOuts.WHATSAPP : OptOuts.SMS;
    String to = e164(strip(sms.get("To")));
    String from = e164(strip(rawFrom));
    String body = sms.getOrDefault("Body", "");
    if (to == null || from == null) {
      log.info("inbound SMS {} without From or To; ignored", sid);
      return TwiML.empty();
    }
    // The number belongs to one organization at most; only it hears what is texted to it.
    List<String> organizations = senders.ownerOf(Channel.SMS, to).stream().toList();
    if (organizations.isEmpty()) {
      log.info("inbound SMS {} to {}, which no organization sends from; ignored", sid, to);
      return TwiML.empty();
    }
    inbound.outcome(SOURCE, sid, organizations.get(0), null, 0);
    if (OptOuts.WHATSAPP.equals(channel)) {
      // The lead wrote: for 24 hours a step may answer with free text instead of a template.
      for (String organization : organizations) {
        whatsappSessions.inbound(organization, to, from, clock.instant());
      }
    }
    SmsKeyword keyword = SmsKeywords.of(body);
    return switch (keyword) {
      case STOP -> {
        boolean confirm = false;
        for (String organization : organizations) {
          confirm |=
              optOutOnce(
                  organization,
                  channel,
                  from,
                  () -> optOuts.optOut(organization, channel, from, "keyword", summary(body)));
        }
        log.info("inbound SMS {}: opt-out of {} by keyword", sid, masked(from));
        yield confirm ? TwiML.message(OPTED_OUT) : TwiML.empty();
      }
      case START -> {
        for (String organization : organizations) {
          optOuts.resubscribe(organization, channel, from, "keyword", summary(body));
        }
        log.info("inbound SMS {}: {} resubscribed by keyword", sid, masked(from));
        yield TwiML.message(RESUBSCRIBED);
      }
      case HELP -> TwiML.message(helpText());
      case NONE -> reply(organizations, channel, from, to, body, sid);
    };
  }

  /** A reply: applied to the lead it answers in each organization. */
  private String reply(
      List<String> organizations, String channel, String from, String to, String body, String sid) {
    boolean confirmOptOut = false;
    boolean matched = false;
    for (String organization : organizations) {
      Optional<Lead> target = leads.textReplyTarget(organization, channel, from, to);
      if (target.isEmpty()) {
        continue;
      }
      Lead lead = target.get();
      Optional<Campaign> campaign = campaigns.findById(lead.campaignId());
      if (campaign.isEmpty()) {
        continue;
      }
      matched = true;
      Classification classification =
          classifier.classify(new InboundReply(null, body, Map.of(), today(lead)));
      ReplyClass action = classification.replyClass();
      String summary = summary(body) + " (" + classification.reason() + ")";
      log.info(
          "inbound SMS {}: reply of lead {} in campaign {}: {}",
          sid,
          lead.leadId(),
          lead.campaignId(),
          action.wireName());
      if (action == ReplyClass.UNSUBSCRIBE) {
        // Worded as an unsubscribe without a keyword: opted out like STOP, confirmed once.
        confirmOptOut |=
            optOutOnce(
                organization,
                channel,
                from,
                () ->
                    replyActions.apply(
                        lead,
                        campaign.get(),
                        action,
                        classification.returnDate(),
                        summary,
                        channel));
      } else {
        replyActions.apply(
            lead, campaign.get(), action, classification.returnDate(), summary, channel);
      }
    }
    if (!matched) {
      log.info("inbound SMS {} from {} to {} matches no lead; ignored", sid, masked(from), to);
    }
    return confirmOptOut ? TwiML.message(OPTED_OUT) : TwiML.empty();
  }

  /**
   * Runs an opt-out of {@code number} under the organization's lock on that number.
   *
   * @return whether the number was not suppressed before (so exactly one request confirms)
   */
  private boolean optOutOnce(String organization, String channel, String number, Runnable optOut) {
    return Boolean.TRUE.equals(
        transaction.execute(
            tx -> {
              leads.lockAddress(organization, channel, number);
              boolean wasSuppressed = suppressions.isSuppressed(organization, channel, number);
              optOut.run();
              return !wasSuppressed && suppressions.isSuppressed(organization, channel, number);
            }));
  }

  private static String strip(String address) {
    return address != null && address.startsWith(WHATSAPP_PREFIX)
        ? address.substring(WHATSAPP_PREFIX.length())
        : address;
  }

  private String helpText() {
    String help = properties.twilio().helpText();
    return help == null || help.isBlank() ? DEFAULT_HELP : help;
  }

  /** The lead's local date, against which a reply's "back on Monday" is read. */
  private LocalDate today(Lead lead) {
    try {
      return LocalDate.now(clock.withZone(ZoneId.of(lead.timezone())));
    } catch (DateTimeException | NullPointerException e) {
      return LocalDate.now(clock);
    }
  }

  private static String summary(String body) {
    String text = body.strip();
    return text.length() <= SUMMARY_LIMIT ? text : text.substring(0, SUMMARY_LIMIT) + "…";
  }

  /** The number in E.164, or as Twilio wrote it when it is not a phone number (a short code). */
  private static String e164(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      return PhoneNumbers.toE164(raw.trim(), null);
    } catch (RuntimeException e) {
      return raw.trim();
    }
  }

  private static String masked(String number) {
    return number.length() <= 4 ? "****" : "…" + number.substring(number.length() - 4);
  }
}
