package dev.sequencer.api.inbound.email;

import dev.sequencer.api.control.OptOuts;
import dev.sequencer.config.SequencerProperties;
import dev.sequencer.content.links.LinkTokens;
import dev.sequencer.store.health.AutoPauses;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadRepository;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.store.message.Message;
import dev.sequencer.store.message.Messages;
import dev.sequencer.store.sender.Senders;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What one message in a sender's mailbox means: a delivery status notification, an unsubscribe sent
 * to the {@code mailto:} of {@code List-Unsubscribe}, or a reply.
 */
@Component
class InboundMail {

  private static final Logger log = LoggerFactory.getLogger(InboundMail.class);
  private static final Pattern UNSUBSCRIBE_SUBJECT =
      Pattern.compile("(?i)^\\s*unsubscribe\\s+(\\S+)\\s*$");
  private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>\\s]+>");

  private final InboundReplies replies;
  private final OptOuts optOuts;
  private final Messages messages;
  private final LeadRepository leads;
  private final Senders senders;
  private final LeadTimeline timeline;
  private final SequencerProperties properties;
  private final Clock clock;
  private final AutoPauses autoPauses;
  private final TransactionTemplate transaction;

  InboundMail(
      InboundReplies replies,
      OptOuts optOuts,
      Messages messages,
      LeadRepository leads,
      Senders senders,
      LeadTimeline timeline,
      SequencerProperties properties,
      Clock clock,
      AutoPauses autoPauses,
      TransactionTemplate transaction) {
    this.autoPauses = autoPauses;
    this.transaction = transaction;
    this.replies = replies;
    this.optOuts = optOuts;
    this.messages = messages;
    this.leads = leads;
    this.senders = senders;
    this.timeline = timeline;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * What the message was taken for, the organization it acted in (null when none) and how many
   * leads it acted on.
   */
  record Processed(String outcome, String organizationId, int matched) {}

  /**
   * Acts only within one organization: the one that sent the message a delivery report or reply
   * quotes, and, for a reply quoting none, the one the mailbox belongs to. In a mailbox several
   * organizations share, a reply that quotes no Message-ID we sent is recorded as unmatched and
   * acts on nothing: matching its sender's address across organizations would let one
   * organization's mail stop another's sequences.
   *
   * @param mailbox the address of the mailbox it was found in, or null for a shared inbox
   */
  Processed process(String mailbox, MimeMessage message) throws MessagingException, IOException {
    String mailboxOrganization =
        mailbox == null ? null : senders.organizationOfMailbox(mailbox).orElse(null);
    Optional<DeliveryReport> report = DeliveryReport.of(message);
    if (report.isPresent()) {
      return bounce(report.get(), mailboxOrganization);
    }
    Optional<FeedbackReport> feedback = FeedbackReport.of(message);
    if (feedback.isPresent()) {
      return complaint(feedback.get(), mailboxOrganization);
    }
    String subject = message.getSubject() == null ? "" : message.getSubject();
    Matcher unsubscribe = UNSUBSCRIBE_SUBJECT.matcher(subject);
    if (unsubscribe.matches()) {
      Optional<Lead> unsubscribed = unsubscribeByMail(unsubscribe.group(1));
      if (unsubscribed.isPresent()) {
        return new Processed("unsubscribe", unsubscribed.get().organizationId(), 1);
      }
    }
    Instant receivedAt =
        message.getSentDate() == null ? clock.instant() : message.getSentDate().toInstant();
    InboundReplies.Outcome outcome =
        replies.receive(
            new InboundReplies.Received(
                mailboxOrganization,
                OptOuts.EMAIL,
                mailbox,
                sender(message),
                subject,
                text(message),
                headers(message),
                references(message),
                receivedAt));
    if (outcome.matched().isEmpty()) {
      // Recorded with what it was taken for and no lead: unmatched, it acted on nothing.
      return new Processed(
          outcome.classification().replyClass().wireName(), mailboxOrganization, 0);
    }
    return new Processed(
        outcome.classification().replyClass().wireName(),
        outcome.matched().get(0).organizationId(),
        outcome.matched().size());
  }

  /**
   * A delivery report acts only on the message it reports on, found by a Message-ID we sent (and,
   * in an organization's own mailbox, sent by that organization): a report naming only a recipient
   * could be written by anyone who can mail the mailbox.
   */
  private Processed bounce(DeliveryReport report, String mailboxOrganization) {
    Optional<Message> original = quoted(report.originalMessageId(), mailboxOrganization);
    Optional<Lead> target = original.flatMap(m -> leads.findById(m.leadPk()));
    String outcome = report.permanent() ? "bounce" : "bounce_temporary";
    if (target.isEmpty()) {
      log.info(
          "delivery report {} quotes no message we sent{}; recorded, nothing changed",
          report.status(),
          mailboxOrganization == null ? "" : " from this mailbox's organization");
      return new Processed(outcome, mailboxOrganization, 0);
    }
    Lead lead = target.get();
    String detail =
        report.status()
            + (report.diagnostic() == null ? "" : " " + report.diagnostic())
            + " for "
            + report.recipient();
    if (report.permanent()) {
      optOuts.bounce(lead.organizationId(), lead.email(), detail);
      transaction.executeWithoutResult(tx -> autoPauses.bounced(original.get(), clock.instant()));
    } else {
      timeline.record(
          lead.organizationId(),
          lead.campaignId(),
          lead.id(),
          original.get().id(),
          original.get().stepType(),
          "bounce_temporary",
          detail,
          clock.instant());
    }
    log.info("delivery report {} matched lead {}", report.status(), lead.id());
    return new Processed(outcome, lead.organizationId(), 1);
  }

  /** The message a report quotes, if we sent it (in an organization's mailbox: that one did). */
  private Optional<Message> quoted(String messageId, String mailboxOrganization) {
    return Optional.ofNullable(messageId)
        .flatMap(messages::byProviderMessageId)
        .filter(m -> mailboxOrganization == null || mailboxOrganization.equals(m.organizationId()));
  }

  /**
   * A feedback report acts, like a delivery report, only on the message it quotes: the address is
   * suppressed, its sequences end, and the complaint counts towards the campaign's and the sender's
   * complaint rates.
   */
  private Processed complaint(FeedbackReport report, String mailboxOrganization) {
    Optional<Message> original = quoted(report.originalMessageId(), mailboxOrganization);
    Optional<Lead> target = original.flatMap(m -> leads.findById(m.leadPk()));
    if (target.isEmpty()) {
      log.info("feedback report ({}) quotes no message we sent; recorded", report.feedbackType());
      return new Processed("complaint", mailboxOrganization, 0);
    }
    Lead lead = target.get();
    if (!report.complaint()) {
      timeline.record(
          lead.organizationId(),
          lead.campaignId(),
          lead.id(),
          original.get().id(),
          original.get().stepType(),
          "not_spam",
          "the recipient's mailbox provider reported the message as not spam",
          clock.instant());
      return new Processed("not_spam", lead.organizationId(), 1);
    }
    optOuts.complaint(
        lead.organizationId(),
        lead.email(),
        "spam complaint (" + report.feedbackType() + ") about " + original.get().stepType());
    transaction.executeWithoutResult(tx -> autoPauses.complained(original.get(), clock.instant()));
    log.info("feedback report ({}) matched lead {}", report.feedbackType(), lead.id());
    return new Processed("complaint", lead.organizationId(), 1);
  }

  private Optional<Lead> unsubscribeByMail(String token) {
    Optional<List<String>> fields =
        LinkTokens.of(properties.tokenSecret(), properties.tokenSecretsRetired(), clock)
            .verify(token);
    if (fields.isEmpty() || fields.get().size() != 4 || !"u".equals(fields.get().get(0))) {
      return Optional.empty();
    }
    List<String> f = fields.get();
    Optional<Lead> lead;
    try {
      lead =
          leads.findById(Long.parseLong(f.get(2))).filter(l -> l.organizationId().equals(f.get(1)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (lead.isEmpty()) {
      return Optional.empty();
    }
    String channel = f.get(3);
    String address = OptOuts.EMAIL.equals(channel) ? lead.get().email() : lead.get().phone();
    optOuts.optOut(
        lead.get().organizationId(), channel, address, "mailto", "List-Unsubscribe mail");
    return lead;
  }

  private static String sender(MimeMessage message) throws MessagingException {
    Address[] from = message.getFrom();
    if (from == null || from.length == 0 || !(from[0] instanceof InternetAddress address)) {
      return null;
    }
    return address.getAddress() == null ? null : address.getAddress().toLowerCase(Locale.ROOT);
  }

  /** In-Reply-To first, then References from the newest. */
  private static List<String> references(MimeMessage message) throws MessagingException {
    List<String> ids = new ArrayList<>();
    for (String name : List.of("In-Reply-To", "References")) {
      String value = message.getHeader(name, " ");
      if (value == null) {
        continue;
      }
      List<String> found = new ArrayList<>();
      MESSAGE_ID.matcher(value).results().forEach(r -> found.add(r.group()));
      if (name.equals("References")) {
        Collections.reverse(found);
      }
      for (String id : found) {
        if (!ids.contains(id)) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  private static Map<String, List<String>> headers(MimeMessage message) throws MessagingException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    Enumeration<Header> all = message.getAllHeaders();
    while (all.hasMoreElements()) {
      Header header = all.nextElement();
      headers.computeIfAbsent(header.getName(), n -> new ArrayList<>()).add(header.getValue());
    }
    return headers;
  }

  /** The plain text of a message: its text/plain part, or its HTML part without tags. */
  static String text(Part part) throws MessagingException, IOException {
    if (part.isMimeType("text/plain")) {
      return String.valueOf(part.getContent());
    }
    if (part.isMimeType("text/html")) {
      return String.valueOf(part.getContent())
          .replaceAll("(?i)<br\\s*/?>|</p>|</div>", "\n")
          .replaceAll("<[^>]+>", "")
          .replace("&nbsp;", " ")
          .replace("&amp;", "&")
          .replace("&lt;", "<")
          .replace("&gt;", ">");
    }
    if (part.getContent() instanceof Multipart multipart) {
      String html = null;
      for (int i = 0; i < multipart.getCount(); i++) {
        BodyPart child = multipart.getBodyPart(i);
        if (child.isMimeType("text/plain")) {
          return text(child);
        }
        if (html == null && (child.isMimeType("text/html") || child.isMimeType("multipart/*"))) {
          html = text(child);
        }
      }
      return html == null ? "" : html;
    }
    return "";
  }
}
