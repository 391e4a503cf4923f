package dev.sequencer.activities.messaging;

import dev.sequencer.workflows.lead.SendResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What the send activity did, as Micrometer meters (exported on {@code /actuator/prometheus}):
 * {@code sequencer_send_attempts_total} by outcome; messages sent by channel, deferred, failed and
 * stopped by reason; {@code sequencer_send_resolved_total} for attempts of unknown outcome that a
 * retry resolved; and {@code sequencer_send_latency_seconds}, from the instant a step was planned
 * for to its hand-over, as a histogram.
 */
@Component
public class SendMetrics {

  private final MeterRegistry registry;
  private final Counter resolved;

  SendMetrics(ObjectProvider<MeterRegistry> registry) {
    this.registry = registry.getIfAvailable(SimpleMeterRegistry::new);
    this.resolved =
        Counter.builder("sequencer.send.resolved")
            .description("attempts of unknown outcome resolved by a retry")
            .register(this.registry);
  }

  SendResult count(SendResult result) {
    Counter.builder("sequencer.send.attempts")
        .description("send activity executions by outcome")
        .tag("outcome", result.outcome().name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
    String byReason =
        switch (result.outcome()) {
          case DEFERRED -> "sequencer.messages.deferred";
          case FAILED -> "sequencer.messages.failed";
          case STOPPED -> "sequencer.messages.stopped";
          default -> null;
        };
    if (byReason != null) {
      Counter.builder(byReason)
          .description("steps not sent at their planned instant, by reason")
          .tag("reason", result.reason() == null ? "unknown" : result.reason())
          .register(registry)
          .increment();
    }
    return result;
  }

  /** A message handed over to its provider, {@code planned} being the instant it was due. */
  void sent(String channel, Instant planned, Instant handedOver) {
    Counter.builder("sequencer.messages.sent")
        .description("messages handed over to the provider, by channel")
        .tag("channel", channel.toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
    if (planned != null) {
      Timer.builder("sequencer.send.latency")
          .description("from the instant a step was due to its hand-over to the provider")
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofMillis(10))
          .maximumExpectedValue(Duration.ofHours(1))
          .register(registry)
          .record(
              Duration.between(planned, handedOver).isNegative()
                  ? Duration.ZERO
                  : Duration.between(planned, handedOver));
    }
  }

  void countError() {
    Counter.builder("sequencer.send.attempts")
        .tag("outcome", "error")
        .register(registry)
        .increment();
  }

  void countResolved() {
    resolved.increment();
  }

  /** Executions of the send activity so far, whatever their outcome. */
  public double executions() {
    return registry.find("sequencer.send.attempts").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }
}
