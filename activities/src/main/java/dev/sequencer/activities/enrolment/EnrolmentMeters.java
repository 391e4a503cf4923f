package dev.sequencer.activities.enrolment;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Leads whose sequence started, as {@code sequencer_leads_enrolled_total}: its rate is the
 * enrolment rate.
 */
@Component
public class EnrolmentMeters {

  private final Counter enrolled;

  EnrolmentMeters(ObjectProvider<MeterRegistry> registry) {
    this.enrolled =
        Counter.builder("sequencer.leads.enrolled")
            .description("leads whose sequence workflow started")
            .register(registry.getIfAvailable(SimpleMeterRegistry::new));
  }

  void enrolled(long leads) {
    enrolled.increment(leads);
  }
}
