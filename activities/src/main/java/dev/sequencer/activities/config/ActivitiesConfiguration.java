package dev.sequencer.activities.config;

import com.twilio.http.TwilioRestClient;
import dev.sequencer.activities.messaging.DryRunSmsSender;
import dev.sequencer.activities.messaging.RebasedTwilioHttpClient;
import dev.sequencer.activities.messaging.SingleAttemptTwilioHttpClient;
import dev.sequencer.activities.messaging.SmsSender;
import dev.sequencer.activities.messaging.TwilioSmsSender;
import dev.sequencer.analysis.AnalysisConfiguration;
import dev.sequencer.config.SequencerProperties;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

@Configuration(proxyBeanMethods = false)
@ComponentScan("dev.sequencer.activities")
@Import(AnalysisConfiguration.class)
public class ActivitiesConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ActivitiesConfiguration.class);

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  /** Twilio when both credentials are set, otherwise the recorded dry-run outbox. */
  @Bean
  @ConditionalOnMissingBean
  SmsSender smsSender(SequencerProperties properties) {
    SequencerProperties.Twilio twilio = properties.twilio();
    if (twilio.sendsThroughTwilio()) {
      log.info("SMS goes out through Twilio account {}", twilio.accountSid());
      var client =
          new TwilioRestClient.Builder(twilio.accountSid(), twilio.authToken())
              .httpClient(
                  twilio.apiBaseUrl() == null || twilio.apiBaseUrl().isBlank()
                      ? new SingleAttemptTwilioHttpClient()
                      : new RebasedTwilioHttpClient(twilio.apiBaseUrl()));
      return new TwilioSmsSender(client.build());
    }
    log.warn(
        "No TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN: SMS is recorded in the dry-run outbox, not sent");
    return new DryRunSmsSender();
  }
}
