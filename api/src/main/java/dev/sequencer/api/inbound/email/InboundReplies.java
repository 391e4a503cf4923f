package dev.sequencer.api.inbound.email;

import dev.sequencer.api.control.ReplyActions;
import dev.sequencer.content.reply.Classification;
import dev.sequencer.content.reply.InboundReply;
import dev.sequencer.content.reply.ReplyClassifier;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadRepository;
import dev.sequencer.store.message.Messages;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Replies from any source (the IMAP poller, {@code POST /api/v1/replies}): matched to the lead they
 * answer, classified, and applied to its sequence.
 */
@Service
public class InboundReplies {

  /**
   * One reply as received.
   *
   * @param organizationId only this organization's leads may match; null when the reply could be
   *     any organization's (a shared mailbox), where only a quoted Message-ID matches
   * @param channel {@code EMAIL} or {@code SMS}
   * @param mailbox the mailbox it arrived in (campaigns sending from or replying to it), or null
   * @param from the sender's email address or E.164 number
   * @param references Message-IDs it refers to: In-Reply-To first, then References, newest first
   */
  public record Received(
      String organizationId,
      String channel,
      String mailbox,
      String from,
      String subject,
      String body,
      Map<String, List<String>> headers,
      List<String> references,
      Instant receivedAt) {}

  /** The leads the reply was matched to and what it was taken for. */
  public record Outcome(List<Lead> matched, Classification classification) {}

  private final Messages messages;
  private final LeadRepository leads;
  private final LeadQueries leadQueries;
  private final CampaignRepository campaigns;
  private final ReplyActions actions;
  private final ReplyClassifier classifier = new ReplyClassifier();

  InboundReplies(
      Messages messages,
      LeadRepository leads,
      LeadQueries leadQueries,
      CampaignRepository campaigns,
      ReplyActions actions) {
    this.messages = messages;
    this.leads = leads;
    this.leadQueries = leadQueries;
    this.campaigns = campaigns;
    this.actions = actions;
  }

  public Outcome receive(Received reply) {
    List<Lead> matched = match(reply);
    Classification classification =
        classifier.classify(
            new InboundReply(
                reply.subject(),
                reply.body(),
                reply.headers(),
                LocalDate.ofInstant(reply.receivedAt(), ZoneOffset.UTC)));
    for (Lead lead : matched) {
      campaigns
          .findById(lead.campaignId())
          .ifPresent(
              campaign ->
                  actions.apply(
                      lead,
                      campaign,
                      classification.replyClass(),
                      classification.returnDate(),
                      summary(classification),
                      dev.sequencer.api.control.OptOuts.EMAIL));
    }
    return new Outcome(matched, classification);
  }

  /**
   * The lead whose message the reply quotes by Message-ID; failing that, and only when the reply is
   * known to be one organization's (its mailbox, or the caller of the replies API), every lead of
   * that organization messaged at the sender's address (in the mailbox's campaigns). Never by
   * address across organizations.
   */
  List<Lead> match(Received reply) {
    for (String reference : reply.references()) {
      Optional<Lead> lead =
          messages
              .byProviderMessageId(reference)
              .flatMap(m -> leads.findById(m.leadPk()))
              .filter(
                  l ->
                      reply.organizationId() == null
                          || reply.organizationId().equals(l.organizationId()));
      if (lead.isPresent()) {
        return List.of(lead.get());
      }
    }
    if (reply.from() == null || reply.organizationId() == null) {
      return List.of();
    }
    return new ArrayList<>(
        leadQueries.messagedAt(
            reply.organizationId(), reply.mailbox(), reply.channel(), reply.from()));
  }

  private static String summary(Classification classification) {
    String text = classification.text() == null ? "" : classification.text().strip();
    String firstLine = text.lines().findFirst().orElse("");
    String quoted = firstLine.length() > 140 ? firstLine.substring(0, 140) + "…" : firstLine;
    return (quoted.isEmpty() ? "" : "\"" + quoted + "\"")
        + (classification.reason() == null ? "" : " (" + classification.reason() + ")");
  }
}
