package dev.sequencer.api.control;

import dev.sequencer.api.pulse.InboundMeters;
import dev.sequencer.content.EmailAddresses;
import dev.sequencer.content.reply.ReplyClass;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.campaign.StopScope;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadTimeline;
import java.time.Clock;
import java.time.LocalDate;
import org.springframework.stereotype.Service;

/** What a classified reply does to the lead's sequence. */
@Service
public class ReplyActions {

  private final LeadControl leadControl;
  private final LeadQueries leads;
  private final OptOuts optOuts;
  private final LeadTimeline timeline;
  private final Clock clock;
  private final InboundMeters meters;

  ReplyActions(
      LeadControl leadControl,
      LeadQueries leads,
      OptOuts optOuts,
      LeadTimeline timeline,
      Clock clock,
      InboundMeters meters) {
    this.leadControl = leadControl;
    this.leads = leads;
    this.optOuts = optOuts;
    this.timeline = timeline;
    this.clock = clock;
    this.meters = meters;
  }

  /**
   * Applies a reply: a human answer ends the sequence ({@code replied}) when the campaign stops on
   * replies; an unsubscribe opts the address out everywhere; out of office pauses until the return
   * date; an auto-reply is recorded and changes nothing.
   *
   * @param returnDate for out of office, the date the lead is back, if the reply named one
   */
  public void apply(
      Lead lead,
      Campaign campaign,
      ReplyClass classification,
      LocalDate returnDate,
      String summary) {
    apply(lead, campaign, classification, returnDate, summary, campaign.channel().name());
  }

  /**
   * @param channel the channel the reply came on ({@link OptOuts#EMAIL}, {@link OptOuts#SMS} or
   *     {@link OptOuts#WHATSAPP}): an unsubscribe opts out the lead's address on it
   */
  public void apply(
      Lead lead,
      Campaign campaign,
      ReplyClass classification,
      LocalDate returnDate,
      String summary,
      String channel) {
    String detail = classification.wireName() + (summary == null ? "" : ": " + summary);
    meters.reply(classification.wireName());
    switch (classification) {
      case INTERESTED, NOT_INTERESTED, NEUTRAL -> {
        if (!campaign.stopOnReply()
            || !leadControl.stop(lead, LeadStatus.REPLIED, "replied", detail)) {
          record(lead, "replied", detail);
        }
        if (campaign.stopOnReply() && campaign.stopScope() == StopScope.COMPANY) {
          stopCompany(lead);
        }
      }
      case UNSUBSCRIBE -> {
        record(lead, "replied", detail);
        String address = lead.addressOn(Channel.valueOf(channel));
        if (address != null) {
          optOuts.optOut(lead.organizationId(), channel, address, "reply", summary);
        }
      }
      case OUT_OF_OFFICE ->
          leadControl.outOfOffice(
              lead, returnDate, detail + (returnDate == null ? "" : ", back on " + returnDate));
      case AUTO_REPLY -> record(lead, "auto_reply", detail);
    }
  }

  /** With {@code stop_scope: company}, a reply also ends the sequences of the lead's colleagues. */
  private void stopCompany(Lead lead) {
    String domain = lead.email() == null ? null : EmailAddresses.domain(lead.email());
    boolean matchDomain = domain != null && !FreeMailDomains.contains(domain);
    for (Lead colleague : leads.openAtSameCompany(lead, domain, matchDomain)) {
      leadControl.stop(
          colleague,
          LeadStatus.CANCELLED,
          "company_replied",
          "stopped: " + lead.leadId() + " of the same company replied");
    }
  }

  private void record(Lead lead, String event, String detail) {
    timeline.record(
        lead.organizationId(),
        lead.campaignId(),
        lead.id(),
        null,
        null,
        event,
        detail,
        clock.instant());
  }
}
