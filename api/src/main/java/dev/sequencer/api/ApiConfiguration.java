package dev.sequencer.api;

import dev.sequencer.api.json.StrictStrings;
import dev.sequencer.config.SequencerConfiguration;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@Import(SequencerConfiguration.class)
@EnableScheduling
public class ApiConfiguration {

  /** Picked up by Spring Boot's JSON mapper, like every Jackson module bean. */
  @Bean
  StrictStrings strictStrings() {
    return new StrictStrings();
  }

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }
}
