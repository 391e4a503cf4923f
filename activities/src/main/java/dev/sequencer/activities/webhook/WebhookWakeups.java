package dev.sequencer.activities.webhook;

import dev.sequencer.activities.config.BackgroundTasks;
import dev.sequencer.store.webhook.WebhookDeliveries;
import dev.sequencer.workflows.webhook.WebhookWakeUp;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
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
 * {@link #RECHECK} after, every endpoint whose next delivery is overdue is woken again (its
 * workflow may have ended, been terminated, or missed a wake-up). Every {@link #PURGE_EVERY} it
 * deletes the events older than {@code sequencer.webhooks.retention} that have nothing pending.
 */
@Component
public class WebhookWakeups implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(WebhookWakeups.class);

  static final Duration RECHECK = Duration.ofMinutes(1);
  static final Duration PURGE_EVERY = Duration.ofHours(1);
  static final int PURGE_BATCH = 10_000;

  private final WebhookDeliveries deliveries;
  private final WorkflowClient workflows;
  private final Duration poll;
  private final Duration retention;
  private final boolean enabled;
  private ScheduledExecutorService loop;
  private long seen;
  private boolean started;
  private long lastRecheck;

  WebhookWakeups(
      WebhookDeliveries deliveries,
      @Lazy WorkflowClient workflows,
      @Value("${sequencer.webhooks.poll:1s}") Duration poll,
      @Value("${sequencer.webhooks.retention:30d}") Duration retention,
      @Value("${sequencer.webhooks.wakeups:true}") boolean enabled) {
    this.enabled = enabled;
    this.deliveries = deliveries;
    this.workflows = workflows;
    this.poll = poll;
    this.retention = retention;
  }

  /** One look: wakes the endpoints with deliveries queued since the last. */
  synchronized void wakeUp() {
    long now = System.nanoTime();
    if (!started || now - lastRecheck > RECHECK.toNanos()) {
      lastRecheck = now;
      long newest = started ? seen : deliveries.newestDelivery();
      // At start every endpoint with a delivery due is woken; after that, those a minute late.
      for (String endpoint : deliveries.overdue(started ? RECHECK : Duration.ZERO)) {
        try {
          wake(endpoint);
        } catch (RuntimeException e) {
          log.warn("webhook endpoint {} could not be woken: {}", endpoint, e.getMessage());
        }
      }
      if (!started) {
        seen = newest;
        started = true;
        return;
      }
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

  /** Deletes the events older than the retention period that have nothing left to deliver. */
  void purge() {
    Instant before = Instant.now().minus(retention);
    int deleted;
    long total = 0;
    do {
      deleted = deliveries.purgeBefore(before, PURGE_BATCH);
      total += deleted;
    } while (deleted == PURGE_BATCH);
    if (total > 0) {
      log.info("{} webhook events older than {} deleted", total, retention);
    }
  }

  void wake(String endpointId) {
    WebhookWakeUp.send(workflows, endpointId);
  }

  @Override
  public synchronized void start() {
    if (!enabled) {
      return;
    }
    loop = BackgroundTasks.thread("webhook-wakeups");
    BackgroundTasks.every(loop, poll, this::wakeUp, log, "webhook wake-ups");
    BackgroundTasks.every(loop, PURGE_EVERY, this::purge, log, "webhook retention");
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
