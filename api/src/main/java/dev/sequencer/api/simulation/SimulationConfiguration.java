package dev.sequencer.api.simulation;

import dev.sequencer.analysis.AbDecisions;
import dev.sequencer.simulation.CampaignSimulator;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.store.message.Messages;
import dev.sequencer.store.quota.DailyQuota;
import dev.sequencer.store.quota.SendReservations;
import dev.sequencer.store.sender.Senders;
import dev.sequencer.store.suppression.Suppressions;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SimulationConfiguration {

  /**
   * One simulation at a time per process: each runs its own Temporal test server and as many
   * workflows as leads, and two at once would only halve each other's speed.
   */
  @Bean
  CampaignSimulator campaignSimulator(
      LeadQueries leadQueries,
      LeadSteps leadSteps,
      Suppressions suppressions,
      AbDecisions decisions,
      DailyQuota dailyQuota,
      SendReservations reservations,
      Messages messages,
      Senders senders,
      Clock clock,
      @Value("${sequencer.simulation.max-leads:10000}") int maxLeads) {
    return new CampaignSimulator(
        leadQueries,
        leadSteps,
        suppressions,
        decisions,
        dailyQuota,
        reservations,
        messages,
        senders,
        clock,
        maxLeads,
        1);
  }
}
