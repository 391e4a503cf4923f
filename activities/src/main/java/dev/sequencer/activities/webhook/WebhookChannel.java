package dev.sequencer.activities.webhook;

import dev.sequencer.activities.messaging.PermanentSendFailure;
import dev.sequencer.config.SequencerProperties;
import dev.sequencer.store.message.Message;
import dev.sequencer.store.webhook.StepWebhookSecret;
import dev.sequencer.store.webhook.WebhookTargets;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The webhook channel: a step's rendered JSON payload POSTed to the step's URL, signed as the
 * outbound webhooks are (Standard Webhooks, the message id as {@code webhook-id}, the same in every
 * attempt), through the same SSRF-safe client. A 2xx counts as sent; anything else is retried by
 * the send's own retries, for as long as a webhook delivery is ({@link #GIVE_UP_AFTER}), then the
 * step fails.
 */
@Component
public class WebhookChannel {

  static final Duration GIVE_UP_AFTER = Duration.ofHours(24);

  private final WebhookHttp http;
  private final SequencerProperties properties;
  private final Clock clock;

  public WebhookChannel(
      WebhookTargets targets,
      SequencerProperties properties,
      Clock clock,
      @Value("${sequencer.webhooks.connect-timeout:5s}") Duration connectTimeout,
      @Value("${sequencer.webhooks.response-timeout:10s}") Duration responseTimeout) {
    this.properties = properties;
    this.clock = clock;
    this.http =
        new WebhookHttp(
            targets,
            Timeout.of(connectTimeout),
            Timeout.of(responseTimeout),
            connectTimeout.plus(responseTimeout),
            16);
  }

  /**
   * @param now the attempt's time (the workflow's clock in a time-skipping test)
   * @return the provider id of the message: its own id, which the receiver saw as {@code
   *     webhook-id}
   * @throws PermanentSendFailure once the receiver has failed for a day
   * @throws IllegalStateException for a failure to retry
   */
  public String post(Message message, Instant now) {
    long timestamp = clock.instant().getEpochSecond();
    String secret = StepWebhookSecret.of(properties.tokenSecret(), message.campaignId());
    WebhookHttp.Answer answer =
        http.post(
            message.recipient(),
            Map.of(
                "webhook-id", message.id(),
                "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature",
                    WebhookSignature.sign(secret, message.id(), timestamp, message.bodyText())),
            message.bodyText());
    if (answer.succeeded()) {
      return message.id();
    }
    String error = answer.error() != null ? answer.error() : "HTTP " + answer.status();
    if (!now.isBefore(message.createdAt().plus(GIVE_UP_AFTER))) {
      throw new PermanentSendFailure(
          "webhook_failed",
          "the receiver failed for " + GIVE_UP_AFTER.toHours() + " h: " + error,
          null);
    }
    throw new IllegalStateException("webhook step not accepted: " + error);
  }

  @PreDestroy
  void close() throws IOException {
    http.close();
  }
}
