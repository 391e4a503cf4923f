package dev.sequencer.activitiestest;

import dev.sequencer.activities.config.ActivitiesConfiguration;
import dev.sequencer.config.SequencerConfiguration;
import java.time.Instant;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * The activity beans as the worker builds them (store, mail sender, dry-run SMS), minus Temporal:
 * without {@code spring.temporal.*} properties Temporal's auto-configuration stays off, and the
 * activities under test never need the {@code @Lazy} WorkflowClient. Lives outside {@code
 * dev.sequencer.activities} and scans nothing, so ActivitiesConfiguration's scan does not find it.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({SequencerConfiguration.class, ActivitiesConfiguration.class})
public class ActivitiesTestApplication {

  /** Primary, as ActivitiesConfiguration's own clock is registered before this one. */
  @Bean
  @Primary
  MutableClock testClock() {
    return new MutableClock(Instant.parse("2027-02-10T15:00:00Z"));
  }
}
