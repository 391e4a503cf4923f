package dev.sequencer.api.auth;

import dev.sequencer.config.SequencerProperties;
import dev.sequencer.store.organization.ApiKeys;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Registers {@code SEQUENCER_API_KEY} as an {@code admin} key of the default organization at
 * start-up ({@code StartupChecks} warns when it is the development key).
 */
@Component
class DevelopmentKeyRegistrar implements ApplicationRunner {

  static final String DEFAULT_ORGANIZATION = "org_default";

  private final ApiKeys apiKeys;
  private final SequencerProperties properties;

  DevelopmentKeyRegistrar(ApiKeys apiKeys, SequencerProperties properties) {
    this.apiKeys = apiKeys;
    this.properties = properties;
  }

  @Override
  public void run(ApplicationArguments args) {
    apiKeys.ensure(
        DEFAULT_ORGANIZATION, "Default organization", properties.apiKey(), "SEQUENCER_API_KEY");
  }
}
