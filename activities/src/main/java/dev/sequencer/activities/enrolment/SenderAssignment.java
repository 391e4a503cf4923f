package dev.sequencer.activities.enrolment;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.sender.RegisteredSender;
import dev.sequencer.store.sender.Senders;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Chooses each new lead's sender from its campaign's pool: the one with the fewest of the
 * campaign's leads so far (the first in the pool on a tie), so a pool fills evenly; active senders
 * before paused ones. A campaign with an inline sender only has a pool of that one sender, if its
 * organization registered it.
 */
@Component
public class SenderAssignment {

  private final Senders senders;
  private final LeadQueries leads;

  public SenderAssignment(Senders senders, LeadQueries leads) {
    this.senders = senders;
    this.leads = leads;
  }

  /** The senders of a campaign's pool, in pool order. */
  public List<RegisteredSender> poolOf(Campaign campaign) {
    List<String> ids = new ArrayList<>(campaign.senderIds());
    if (ids.isEmpty() && campaign.sender() != null) {
      // The inline sender's address on the campaign's own channel (it may have one for the other).
      String address =
          campaign.channel() == dev.sequencer.store.campaign.Channel.EMAIL
              ? (campaign.sender().email() == null
                  ? null
                  : campaign.sender().email().toLowerCase(Locale.ROOT))
              : campaign.sender().phone();
      if (address != null) {
        senders
            .byAddress(campaign.channel(), address)
            .filter(s -> s.organizationId().equals(campaign.organizationId()))
            .ifPresent(s -> ids.add(s.id()));
      }
    }
    Map<String, RegisteredSender> found = senders.byIds(campaign.organizationId(), ids);
    return ids.stream().filter(found::containsKey).map(found::get).toList();
  }

  /** A sender for each of the leads, in the order given; empty when the campaign has no pool. */
  public Map<Long, String> assign(Campaign campaign, List<Long> leadPks) {
    List<RegisteredSender> pool = poolOf(campaign);
    if (pool.isEmpty() || leadPks.isEmpty()) {
      return Map.of();
    }
    if (pool.size() == 1) {
      // Nothing to balance: skips counting the campaign's leads, which a trigger's enrolment of
      // one lead at a time would otherwise do for every event.
      Map<Long, String> only = new LinkedHashMap<>();
      leadPks.forEach(pk -> only.put(pk, pool.get(0).id()));
      return only;
    }
    return choose(pool, new HashMap<>(leads.senderCounts(campaign.id())), leadPks);
  }

  static Map<Long, String> choose(
      List<RegisteredSender> pool, Map<String, Long> counts, List<Long> leadPks) {
    List<RegisteredSender> active = pool.stream().filter(s -> !s.paused()).toList();
    List<RegisteredSender> candidates = active.isEmpty() ? pool : active;
    Map<Long, String> chosen = new LinkedHashMap<>();
    for (Long leadPk : leadPks) {
      RegisteredSender best = candidates.get(0);
      for (RegisteredSender sender : candidates) {
        if (counts.getOrDefault(sender.id(), 0L) < counts.getOrDefault(best.id(), 0L)) {
          best = sender;
        }
      }
      counts.merge(best.id(), 1L, Long::sum);
      chosen.put(leadPk, best.id());
    }
    return chosen;
  }
}
