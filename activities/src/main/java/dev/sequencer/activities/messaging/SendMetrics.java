package dev.sequencer.activities.messaging;

import dev.sequencer.workflows.lead.SendResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What the send activity did, as Micrometer counters (exported on {@code /actuator/prometheus}):
 * {@code sequencer_send_attempts_total} by outcome, and {@code sequencer_send_resolved_total} for
 * attempts of unknown outcome that a retry resolved.
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
    return result;
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
