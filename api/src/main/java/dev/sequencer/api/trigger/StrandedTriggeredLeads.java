package dev.sequencer.api.trigger;

import dev.sequencer.api.signal.WorkflowSignals;
import dev.sequencer.store.trigger.CampaignTriggers;
import dev.sequencer.workflows.campaign.CampaignRunWorkflow;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The recovery of a triggered lead whose sequence never started. An event's lead is committed first
 * and its workflow started after the answer; an api that dies in between (or a Temporal outage)
 * leaves the lead pending. Every so often each replica looks for such leads, older than a grace
 * period that covers a start under way, and tells their campaign's run, through the signal outbox,
 * that leads wait: its enrolment starts them from their own start instant.
 */
@Component
public class StrandedTriggeredLeads {

  private static final Logger log = LoggerFactory.getLogger(StrandedTriggeredLeads.class);

  private final CampaignTriggers triggers;
  private final SequenceStarter starter;
  private final WorkflowSignals signals;
  private final Clock clock;
  private final Duration grace;

  StrandedTriggeredLeads(
      CampaignTriggers triggers,
      SequenceStarter starter,
      WorkflowSignals signals,
      Clock clock,
      @Value("${sequencer.events.stranded-grace:30s}") Duration grace) {
    this.triggers = triggers;
    this.starter = starter;
    this.signals = signals;
    this.clock = clock;
    this.grace = grace;
  }

  @Scheduled(
      fixedDelayString = "${sequencer.events.stranded-check:30s}",
      initialDelayString = "${sequencer.events.stranded-check:30s}")
  void check() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("looking for triggered leads that never started failed: {}", e.getMessage());
    }
  }

  /**
   * Tells the run of every campaign with stranded leads that leads wait.
   *
   * @return those campaigns
   */
  public List<String> sweep() {
    if (starter.holdsPending()) {
      // This replica's starts are behind a burst of events: its pending leads are queued here, not
      // stranded. (Another replica's sweep may still hand them to the run: the run's start and the
      // queued one are then the same start, the second a signal.)
      return List.of();
    }
    List<String> campaigns = triggers.withStrandedLeads(clock.instant().minus(grace));
    for (String campaign : campaigns) {
      log.info("campaign {} has triggered leads that never started; its run enrols them", campaign);
      signals.campaign(CampaignRunWorkflow.workflowId(campaign), CampaignRunWorkflow::leadsAdded);
    }
    return campaigns;
  }
}
