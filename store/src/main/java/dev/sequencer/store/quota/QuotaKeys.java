package dev.sequencer.store.quota;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.Channel;

/**
 * Whose units a send takes: a campaign on one channel counts all its sends under its id, as it
 * always has; a campaign whose steps mix channels counts each channel apart ({@code cmp_…/sms}), so
 * its limits (daily limit, per minute, spacing, reserved slots) hold per channel. A campaign's
 * channels are frozen once it starts, so its units never move from one key to another.
 */
public final class QuotaKeys {

  private QuotaKeys() {}

  /** The key of a campaign as one step on its channel sees it ({@link Campaign#onChannel}). */
  public static String of(Campaign campaign) {
    return of(campaign.id(), campaign.mixesChannels(), campaign.channel());
  }

  public static String of(String campaignId, boolean mixesChannels, Channel channel) {
    return mixesChannels ? campaignId + "/" + channel.wireName() : campaignId;
  }
}
