package dev.sequencer.api.auth;

import dev.sequencer.config.SequencerProperties;
import dev.sequencer.store.organization.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Registers {@code SEQUENCER_API_KEY} for the default organization at start-up. */
@Component
class DevelopmentKeyRegistrar implements ApplicationRunner {

  static final String DEFAULT_ORGANIZATION = "org_default";

  private static final Logger log = LoggerFactory.getLogger(DevelopmentKeyRegistrar.class);

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
    if (properties.usesGeneratedTokenSecret()) {
      log.warn(
          "SEQUENCER_TOKEN_SECRET is not set: unsubscribe and tracking links are signed with a"
              + " secret made for this process and stop working when it restarts");
    }
    if (properties.usesDevelopmentApiKey()) {
      log.warn(
          "Using the development API key '{}': set SEQUENCER_API_KEY before exposing this service",
          SequencerProperties.DEVELOPMENT_API_KEY);
    }
  }
}
