package dev.sequencer.api.trigger;

import dev.sequencer.activities.enrolment.LeadSequenceStarts;
import dev.sequencer.activities.enrolment.SenderAssignment;
import dev.sequencer.activities.limits.SlotCalendar;
import dev.sequencer.analysis.AbDecisions;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.quota.DailyQuota;
import dev.sequencer.store.quota.SendReservations;
import dev.sequencer.store.quota.SenderQuota;
import dev.sequencer.store.sender.Senders;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TriggerConfiguration {

  /**
   * Set up as the worker's enrolment sets up a lead's sequence: the API process has no activity
   * beans, and the combined one must not get a second SenderAssignment or SlotCalendar bean.
   */
  @Bean
  LeadSequenceStarts triggerSequenceStarts(
      AbDecisions decisions,
      Senders senders,
      LeadQueries leads,
      DailyQuota quota,
      SenderQuota senderQuota,
      SendReservations reservations,
      @Value("${sequencer.send.timeout:2m}") Duration sendTimeout) {
    return new LeadSequenceStarts(
        decisions,
        new SenderAssignment(senders, leads),
        new SlotCalendar(quota, senderQuota, reservations, senders),
        sendTimeout);
  }
}
