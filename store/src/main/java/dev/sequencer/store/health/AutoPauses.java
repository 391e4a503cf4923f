package dev.sequencer.store.health;

import dev.sequencer.store.campaign.AutoPause;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.health.SendHealth.Totals;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.message.Message;
import dev.sequencer.store.sender.Senders;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Counts each send, bounce and complaint for its campaign and its sender, and pauses either on the
 * event that takes its bounce or complaint rate to the threshold — not before, and only a person
 * lifts the pause. Rates are judged once {@code min_sent} messages went out: the send that reaches
 * it judges the bounces that came before, and after it every bounce and complaint judges anew
 * (sends alone only lower a rate). Call inside the transaction that records the event.
 */
@Component
public class AutoPauses {

  private static final Logger log = LoggerFactory.getLogger(AutoPauses.class);

  /** The thresholds a sender is held to, across all of its campaigns. */
  static final AutoPause SENDER_THRESHOLDS = AutoPause.defaults();

  private final SendHealth health;
  private final CampaignRepository campaigns;
  private final LeadQueries leads;
  private final Senders senders;

  public AutoPauses(
      SendHealth health, CampaignRepository campaigns, LeadQueries leads, Senders senders) {
    this.health = health;
    this.campaigns = campaigns;
    this.leads = leads;
    this.senders = senders;
  }

  /** What an event came to: the reasons the campaign and the sender were paused, if they were. */
  public record Verdict(String campaignPaused, String senderPaused) {}

  public Verdict sent(Campaign campaign, String senderId, Instant at) {
    Totals totals = health.sent(campaign.id());
    String campaignReason =
        totals.sent() == thresholdsOf(campaign).minSent() ? judge(campaign, totals, at) : null;
    String senderReason = null;
    if (senderId != null) {
      Totals ofSender = health.sent(senderId);
      if (ofSender.sent() == SENDER_THRESHOLDS.minSent()) {
        senderReason = judgeSender(senderId, ofSender);
      }
    }
    return new Verdict(campaignReason, senderReason);
  }

  /** A message bounced for good; a second report of the same message changes nothing. */
  public Verdict bounced(Message message, Instant at) {
    if (!health.firstReport(message.id(), "bounced")) {
      return new Verdict(null, null);
    }
    return after(message.campaignId(), message.senderId(), health::bounced, at);
  }

  /** A recipient complained about a message; a second report of it changes nothing. */
  public Verdict complained(Message message, Instant at) {
    if (!health.firstReport(message.id(), "complained")) {
      return new Verdict(null, null);
    }
    return after(message.campaignId(), message.senderId(), health::complained, at);
  }

  private Verdict after(
      String campaignId,
      String senderId,
      java.util.function.Function<String, Totals> count,
      Instant at) {
    Optional<Campaign> campaign = campaigns.findById(campaignId);
    String campaignReason = null;
    Totals totals = count.apply(campaignId);
    if (campaign.isPresent() && totals.sent() >= thresholdsOf(campaign.get()).minSent()) {
      campaignReason = judge(campaign.get(), totals, at);
    }
    String senderReason = null;
    if (senderId != null) {
      Totals ofSender = count.apply(senderId);
      if (ofSender.sent() >= SENDER_THRESHOLDS.minSent()) {
        senderReason = judgeSender(senderId, ofSender);
      }
    }
    return new Verdict(campaignReason, senderReason);
  }

  private static AutoPause thresholdsOf(Campaign campaign) {
    return campaign.autoPause() == null ? AutoPause.defaults() : campaign.autoPause();
  }

  private String judge(Campaign campaign, Totals totals, Instant at) {
    AutoPause thresholds = thresholdsOf(campaign);
    if (!thresholds.enabled()) {
      return null;
    }
    String reason = crossed(thresholds, totals);
    if (reason == null || !campaigns.pauseWithReason(campaign.id(), "auto-paused: " + reason)) {
      return null;
    }
    leads.pauseWithCampaign(campaign.id(), "campaign auto-paused: " + reason, at);
    log.warn("campaign {} auto-paused: {}", campaign.id(), reason);
    return reason;
  }

  private String judgeSender(String senderId, Totals totals) {
    String reason = crossed(SENDER_THRESHOLDS, totals);
    if (reason == null || !senders.pause(senderId, "auto-paused: " + reason, "auto")) {
      return null;
    }
    log.warn("sender {} auto-paused: {}", senderId, reason);
    return reason;
  }

  /** The sentence a person reads, or null when no threshold is reached. */
  static String crossed(AutoPause thresholds, Totals totals) {
    if (totals.sent() < thresholds.minSent() || totals.sent() == 0) {
      return null;
    }
    if (totals.bounceRate() >= thresholds.bounceRate()) {
      return "bounce rate "
          + percent(totals.bounceRate())
          + " ("
          + totals.bounced()
          + " of "
          + totals.sent()
          + " sent) reached the threshold of "
          + percent(thresholds.bounceRate());
    }
    if (totals.complaintRate() >= thresholds.complaintRate()) {
      return "complaint rate "
          + percent(totals.complaintRate())
          + " ("
          + totals.complained()
          + " of "
          + totals.sent()
          + " sent) reached the threshold of "
          + percent(thresholds.complaintRate());
    }
    return null;
  }

  private static String percent(double fraction) {
    double value = fraction * 100;
    return (value == Math.rint(value)
            ? String.format(Locale.ROOT, "%.0f", value)
            : String.format(Locale.ROOT, "%.2f", value).replaceAll("0+$", ""))
        + " %";
  }
}
