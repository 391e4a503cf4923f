package dev.sequencer.analysistest;

import dev.sequencer.analysis.AnalysisConfiguration;
import dev.sequencer.config.SequencerConfiguration;
import java.time.Clock;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** The store and the analysis module, as the api and the worker import them. */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({SequencerConfiguration.class, AnalysisConfiguration.class})
public class AnalysisTestApplication {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
