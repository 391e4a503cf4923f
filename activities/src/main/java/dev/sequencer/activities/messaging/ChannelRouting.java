package dev.sequencer.activities.messaging;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStep;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.message.Message;
import dev.sequencer.store.suppression.Suppressions;
import dev.sequencer.workflows.lead.LeadEnding;
import dev.sequencer.workflows.lead.SendResult;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Which channel a step reaches its lead on: the step's own (or the campaign's), else the first of
 * its fallbacks the lead has an address for that did not bounce. An opt-out is never routed around:
 * a step whose channel finds the lead opted out stops the sequence rather than try another channel
 * of the same lead.
 */
@Component
class ChannelRouting {

  /** The step's reason when the lead has no address on any of its channels. */
  static final String NO_ADDRESS = "no_address";

  /** Where the step goes, or why it does not. */
  record Route(Channel channel, String recipient, SendResult refusal) {
    static Route to(Channel channel, String recipient) {
      return new Route(channel, recipient, null);
    }

    static Route refused(SendResult refusal) {
      return new Route(null, null, refusal);
    }
  }

  private final Suppressions suppressions;
  private final LeadQueries leads;

  ChannelRouting(Suppressions suppressions, LeadQueries leads) {
    this.suppressions = suppressions;
    this.leads = leads;
  }

  Route route(Lead lead, Campaign campaign, CampaignStep step) {
    if (!campaign.mixesChannels()) {
      // One channel for every step, as campaigns always had: no address fails the lead, a
      // suppressed one (opted out or bounced) stops it.
      String address = addressOf(lead, campaign.channel(), step);
      if (address == null) {
        return Route.refused(SendResult.stopped(LeadEnding.FAILED));
      }
      if (campaign.channel().suppressible()
          && suppressions.isSuppressed(lead.organizationId(), campaign.channel().name(), address)) {
        return Route.refused(SendResult.stopped(LeadEnding.OPTED_OUT));
      }
      return Route.to(campaign.channel(), address);
    }
    boolean bounced = false;
    for (Channel channel : step.route(campaign.channel())) {
      String address = addressOf(lead, channel, step);
      if (address == null) {
        continue;
      }
      Optional<String> suppressed =
          channel.suppressible()
              ? suppressions.sourceOf(lead.organizationId(), channel.name(), address)
              : Optional.empty();
      if (suppressed.isEmpty()) {
        return Route.to(channel, address);
      }
      if (!"bounce".equals(suppressed.get())) {
        return Route.refused(SendResult.stopped(LeadEnding.OPTED_OUT));
      }
      bounced = true;
    }
    return Route.refused(SendResult.skipped(bounced ? "bounced" : NO_ADDRESS));
  }

  /**
   * The route of an attempt committed before: its own channel and recipient, so a retry hands over
   * the very message it recorded; only an opt-out since (on that channel) stops it.
   */
  Route resume(Lead lead, Campaign campaign, CampaignStep step, Message earlier) {
    if (!campaign.mixesChannels()) {
      return route(lead, campaign, step);
    }
    Channel channel = Channel.valueOf(earlier.channel());
    Optional<String> suppressed =
        channel.suppressible()
            ? suppressions.sourceOf(lead.organizationId(), channel.name(), earlier.recipient())
            : Optional.empty();
    if (suppressed.isPresent() && !"bounce".equals(suppressed.get())) {
      return Route.refused(SendResult.stopped(LeadEnding.OPTED_OUT));
    }
    return Route.to(channel, earlier.recipient());
  }

  /** The lead's address on {@code channel}, or null when it has none. */
  String addressOf(Lead lead, Channel channel, CampaignStep step) {
    return switch (channel) {
      case WEBHOOK -> step.url();
      case IN_APP -> leads.inboxAddressOf(lead.id());
      default -> lead.addressOn(channel);
    };
  }
}
