package dev.sequencer.activities.webhook;

import dev.sequencer.store.webhook.WebhookDeliveries;
import dev.sequencer.workflows.webhook.WebhookWakeUp;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Wakes (or starts) the workflow of each endpoint that has new deliveries: looks every {@code
 * sequencer.webhooks.poll} for deliveries queued since its last look. The events themselves were
 * committed with their causes, so a wake-up lost to a crash only delays them: at start, and every
 * {@link #RECHECK} after, every endpoint with pending deliveries is woken again.
 */
@Component
public class WebhookWakeups implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(WebhookWakeups.class);

  static final Duration RECHECK = Duration.ofMinutes(1);

  private final WebhookDeliveries deliveries;
  private final WorkflowClient workflows;
  private final Duration poll;
  private final boolean enabled;
  private ScheduledExecutorService loop;
  private long seen;
  private long lastRecheck;

  WebhookWakeups(
      WebhookDeliveries deliveries,
      @Lazy WorkflowClient workflows,
      @Value("${sequencer.webhooks.poll:1s}") Duration poll,
      @Value("${sequencer.webhooks.wakeups:true}") boolean enabled) {
    this.enabled = enabled;
    this.deliveries = deliveries;
    this.workflows = workflows;
    this.poll = poll;
  }

  /** One look: wakes the endpoints with deliveries queued since the last. */
  synchronized void wakeUp() {
    long now = System.nanoTime();
    if (now - lastRecheck > RECHECK.toNanos()) {
      seen = 0;
      lastRecheck = now;
    }
    Map<String, Long> queued = deliveries.queuedAfter(seen);
    long newest = seen;
    for (Map.Entry<String, Long> endpoint : queued.entrySet()) {
      try {
        wake(endpoint.getKey());
        newest = Math.max(newest, endpoint.getValue());
      } catch (RuntimeException e) {
        // Left unseen: the next look tries again.
        log.warn("webhook endpoint {} could not be woken: {}", endpoint.getKey(), e.getMessage());
        return;
      }
    }
    seen = newest;
  }

  void wake(String endpointId) {
    WebhookWakeUp.send(workflows, endpointId);
  }

  @Override
  public synchronized void start() {
    if (!enabled) {
      return;
    }
    loop =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "webhook-wakeups");
              thread.setDaemon(true);
              return thread;
            });
    loop.scheduleWithFixedDelay(
        () -> {
          try {
            wakeUp();
          } catch (RuntimeException e) {
            log.warn("webhook wake-ups: {}", e.getMessage());
          }
        },
        poll.toMillis(),
        poll.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (loop != null) {
      loop.shutdownNow();
      loop = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return loop != null;
  }
}
