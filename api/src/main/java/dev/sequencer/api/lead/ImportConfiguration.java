package dev.sequencer.api.lead;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ImportProperties.class)
class ImportConfiguration {

  @Bean
  MxCheck mxCheck(ImportProperties properties) {
    return MxCheck.of(properties);
  }
}
