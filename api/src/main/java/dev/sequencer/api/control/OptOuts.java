package dev.sequencer.api.control;

import dev.sequencer.api.pulse.InboundMeters;
import dev.sequencer.api.signal.WorkflowSignals;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.store.suppression.Suppressions;
import dev.sequencer.workflows.lead.LeadEnding;
import dev.sequencer.workflows.lead.Stop;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Opt-outs and re-subscriptions. An opt-out suppresses the address or number for the whole
 * organization and ends every open sequence that targets it, under those leads' row locks, before
 * the accepting call returns.
 */
@Service
public class OptOuts {

  public static final String EMAIL = "EMAIL";
  public static final String SMS = "SMS";
  public static final String WHATSAPP = "WHATSAPP";

  private final Suppressions suppressions;
  private final LeadQueries leads;
  private final LeadTimeline timeline;
  private final WorkflowSignals signals;
  private final TransactionTemplate transaction;
  private final HandOversInFlight inFlight;
  private final Clock clock;
  private final InboundMeters meters;
  private final CampaignRepository campaigns;

  OptOuts(
      Suppressions suppressions,
      LeadQueries leads,
      LeadTimeline timeline,
      WorkflowSignals signals,
      TransactionTemplate transaction,
      HandOversInFlight inFlight,
      Clock clock,
      InboundMeters meters,
      CampaignRepository campaigns) {
    this.campaigns = campaigns;
    this.suppressions = suppressions;
    this.leads = leads;
    this.timeline = timeline;
    this.signals = signals;
    this.transaction = transaction;
    this.inFlight = inFlight;
    this.clock = clock;
    this.meters = meters;
  }

  /**
   * @param channel {@link #EMAIL}, {@link #SMS} or {@link #WHATSAPP}
   * @param address a normalised email address or E.164 number
   * @param source how the opt-out came: api, link, keyword, reply, bounce, carrier
   * @return the sequences that were stopped
   */
  public List<Lead> optOut(
      String organizationId, String channel, String address, String source, String detail) {
    meters.optOut(channel.toLowerCase(java.util.Locale.ROOT), source);
    return suppressAndStop(
        organizationId, channel, address, source, detail, LeadStatus.OPTED_OUT, "opted_out");
  }

  /**
   * A permanent bounce: the address is suppressed (source {@code bounce}) and every open sequence
   * that targets it ends as {@code bounced}.
   */
  public List<Lead> bounce(String organizationId, String address, String detail) {
    meters.bounce();
    return suppressAndStop(
        organizationId, EMAIL, address, "bounce", detail, LeadStatus.BOUNCED, "bounced");
  }

  /**
   * A spam complaint (an ARF report): the address is suppressed like an opt-out (source {@code
   * complaint}) and every open sequence that targets it ends as {@code opted_out}.
   */
  public List<Lead> complaint(String organizationId, String address, String detail) {
    meters.optOut("email", "complaint");
    return suppressAndStop(
        organizationId, EMAIL, address, "complaint", detail, LeadStatus.OPTED_OUT, "opted_out");
  }

  private List<Lead> suppressAndStop(
      String organizationId,
      String channel,
      String address,
      String source,
      String detail,
      LeadStatus status,
      String event) {
    Instant now = clock.instant();
    List<Lead> stopped =
        transaction.execute(
            tx -> {
              suppressions.suppress(organizationId, channel, address, source, detail, now);
              List<Lead> open =
                  leads.lockOpenByAddress(
                      organizationId,
                      EMAIL.equals(channel) ? address : null,
                      SMS.equals(channel) ? address : null,
                      WHATSAPP.equals(channel) ? address : null);
              if (status == LeadStatus.BOUNCED) {
                // A campaign that mixes channels goes on: its later steps reach the lead on another
                // channel (the bounced address stays suppressed, so no step uses it again).
                java.util.Map<String, Boolean> mixed = new java.util.HashMap<>();
                List<Lead> going = new java.util.ArrayList<>();
                for (Lead lead : open) {
                  if (mixed.computeIfAbsent(
                      lead.campaignId(),
                      id -> campaigns.findById(id).map(Campaign::mixesChannels).orElse(false))) {
                    timeline.record(
                        organizationId,
                        lead.campaignId(),
                        lead.id(),
                        null,
                        null,
                        "bounced",
                        "bounced by "
                            + source
                            + (detail == null ? "" : ": " + detail)
                            + "; later steps use the step's other channels",
                        now);
                  } else {
                    going.add(lead);
                  }
                }
                open = going;
              }
              for (Lead lead : open) {
                leads.transition(lead.id(), status);
                timeline.record(
                    organizationId,
                    lead.campaignId(),
                    lead.id(),
                    null,
                    null,
                    event,
                    event.replace('_', ' ')
                        + " by "
                        + source
                        + (detail == null ? "" : ": " + detail),
                    now);
                signals.lead(
                    lead.workflowId(),
                    w -> w.stop(new Stop(LeadEnding.of(status.wireName()), source)));
              }
              return open;
            });
    for (Lead lead : stopped) {
      inFlight.awaitLead(lead.campaignId(), lead.id());
    }
    return stopped;
  }

  /** Lifts the suppression; sequences that ended stay ended, new enrolments may message again. */
  public boolean resubscribe(
      String organizationId, String channel, String address, String source, String detail) {
    return suppressions.resubscribe(
        organizationId, channel, address, source, detail, clock.instant());
  }
}
