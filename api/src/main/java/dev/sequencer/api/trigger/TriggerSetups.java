package dev.sequencer.api.trigger;

import dev.sequencer.activities.enrolment.LeadSequenceStarts;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.trigger.CampaignTriggers;
import dev.sequencer.workflows.campaign.VariantAssignment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * What enrolling into a triggered campaign needs besides the lead, kept for {@link #TTL}: loading
 * it for every event would be most of an event's work. A change to the campaign's row (a new
 * version) is seen at once; an A/B winner or a sender's new limit reaches triggered enrolments
 * within the TTL.
 */
@Component
class TriggerSetups {

  /**
   * @param campaign the campaign as stored, while its row's version is the same
   * @param allocations its variants' shares
   * @param slotted whether its sends take slots
   * @param pooled whether it sends from a sender pool
   * @param onlySender the pool's one sender; null when the pool has none or several
   */
  record Setup(
      long version,
      long loadedAt,
      Campaign campaign,
      List<VariantAssignment.Allocation> allocations,
      boolean slotted,
      boolean pooled,
      String onlySender) {}

  private static final long TTL = Duration.ofSeconds(5).toNanos();
  private static final int MAX_CACHED = 1_000;

  private final CampaignRepository campaigns;
  private final LeadSequenceStarts sequenceStarts;
  private final ConcurrentHashMap<String, Setup> cache = new ConcurrentHashMap<>();

  TriggerSetups(CampaignRepository campaigns, LeadSequenceStarts sequenceStarts) {
    this.campaigns = campaigns;
    this.sequenceStarts = sequenceStarts;
  }

  /** The campaign's setup; null when the campaign is gone. */
  Setup of(CampaignTriggers.Running running) {
    Setup cached = cache.get(running.campaignId());
    long now = System.nanoTime();
    if (cached != null
        && cached.version() == running.campaignVersion()
        && now - cached.loadedAt() < TTL) {
      return cached;
    }
    Campaign campaign = campaigns.findById(running.campaignId()).orElse(null);
    if (campaign == null) {
      return null;
    }
    var pool = sequenceStarts.pool(campaign);
    Setup setup =
        new Setup(
            running.campaignVersion(),
            now,
            campaign,
            sequenceStarts.allocations(campaign),
            sequenceStarts.isSlotted(campaign),
            !pool.isEmpty(),
            pool.size() == 1 ? pool.get(0).id() : null);
    if (cache.size() > MAX_CACHED) {
      cache.clear();
    }
    cache.put(campaign.id(), setup);
    return setup;
  }
}
