package dev.sequencer.activities.webhook;

import dev.sequencer.store.webhook.AttemptOutcome;
import dev.sequencer.store.webhook.DueDelivery;
import dev.sequencer.store.webhook.WebhookDeliveries;
import dev.sequencer.store.webhook.WebhookDelivery;
import dev.sequencer.store.webhook.WebhookEndpoint;
import dev.sequencer.store.webhook.WebhookEndpoints;
import dev.sequencer.store.webhook.WebhookTargets;
import dev.sequencer.workflows.webhook.DeliveryRound;
import dev.sequencer.workflows.webhook.WebhookActivities;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.Activity;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** A round of one endpoint's deliveries: every due one at once, each outcome recorded. */
@Component
public class WebhookActivitiesImpl implements WebhookActivities, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(WebhookActivitiesImpl.class);

  static final int BATCH = 100;

  /** Calls to one endpoint at once: a slow receiver holds its own round, not everyone's senders. */
  static final int PER_ENDPOINT = 8;

  private final WebhookEndpoints endpoints;
  private final WebhookDeliveries deliveries;
  private final Clock clock;
  private final WebhookHttp http;
  private final ExecutorService senders;
  private final Counter succeeded;
  private final Counter failed;

  @org.springframework.beans.factory.annotation.Autowired
  WebhookActivitiesImpl(
      WebhookEndpoints endpoints,
      WebhookDeliveries deliveries,
      WebhookTargets targets,
      Clock clock,
      ObjectProvider<MeterRegistry> meters,
      @Value("${sequencer.webhooks.connect-timeout:5s}") Duration connectTimeout,
      @Value("${sequencer.webhooks.response-timeout:10s}") Duration responseTimeout,
      @Value("${sequencer.webhooks.concurrency:32}") int concurrency) {
    this(
        endpoints,
        deliveries,
        targets,
        clock,
        meters.getIfAvailable(SimpleMeterRegistry::new),
        connectTimeout,
        responseTimeout,
        concurrency);
  }

  WebhookActivitiesImpl(
      WebhookEndpoints endpoints,
      WebhookDeliveries deliveries,
      WebhookTargets targets,
      Clock clock,
      MeterRegistry meters,
      Duration connectTimeout,
      Duration responseTimeout,
      int concurrency) {
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.clock = clock;
    this.http =
        new WebhookHttp(
            targets,
            Timeout.of(connectTimeout),
            Timeout.of(responseTimeout),
            connectTimeout.plus(responseTimeout),
            concurrency);
    AtomicInteger threads = new AtomicInteger();
    this.senders =
        Executors.newFixedThreadPool(
            concurrency,
            task -> {
              Thread thread = new Thread(task, "webhook-sender-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.succeeded =
        Counter.builder("sequencer.webhooks.attempts")
            .tag("outcome", "succeeded")
            .description("Webhook delivery attempts")
            .register(meters);
    this.failed =
        Counter.builder("sequencer.webhooks.attempts")
            .tag("outcome", "failed")
            .description("Webhook delivery attempts")
            .register(meters);
  }

  @Override
  public DeliveryRound deliverDue(String endpointId, long nowMillis) {
    Instant now = Instant.ofEpochMilli(nowMillis + sinceFirstAttempt());
    Activity.getExecutionContext().heartbeat(null);
    Optional<WebhookEndpoint> found = endpoints.find(endpointId);
    if (found.isEmpty() || !found.get().active()) {
      return new DeliveryRound(0, false, null, true);
    }
    WebhookEndpoint endpoint = found.get();
    List<DueDelivery> due = deliveries.due(endpointId, now, BATCH);
    java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(PER_ENDPOINT);
    List<CompletableFuture<AttemptOutcome>> calls = new ArrayList<>(due.size());
    try {
      for (DueDelivery delivery : due) {
        while (!slots.tryAcquire(1, TimeUnit.SECONDS)) {
          Activity.getExecutionContext().heartbeat(null);
        }
        calls.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return attempt(endpoint, delivery, now);
                  } finally {
                    slots.release();
                  }
                },
                senders));
      }
      List<AttemptOutcome> outcomes = new ArrayList<>(due.size());
      for (CompletableFuture<AttemptOutcome> call : calls) {
        outcomes.add(awaitWithHeartbeat(call));
      }
      return finish(endpoint, due, outcomes, now);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    } catch (RuntimeException e) {
      calls.forEach(call -> call.cancel(true));
      throw e;
    }
  }

  private DeliveryRound finish(
      WebhookEndpoint endpoint, List<DueDelivery> due, List<AttemptOutcome> outcomes, Instant now) {
    String endpointId = endpoint.id();
    long nowMillis = now.toEpochMilli();
    deliveries.record(outcomes, now);
    boolean closed = false;
    if (outcomes.stream().anyMatch(o -> WebhookDelivery.SUCCEEDED.equals(o.status()))) {
      endpoints.succeeded(endpointId);
    } else if (!outcomes.isEmpty()) {
      AttemptOutcome last = outcomes.get(outcomes.size() - 1);
      closed = endpoints.failed(endpointId, now, WebhookBackoff.GIVE_UP_AFTER, describe(last));
      if (closed) {
        log.warn(
            "webhook endpoint {} of {} is disabled: every delivery failed for a day; last: {}",
            endpointId,
            endpoint.organizationId(),
            describe(last));
      }
    }
    Long next = deliveries.nextDue(endpointId).map(Instant::toEpochMilli).orElse(null);
    boolean more = due.size() == BATCH || (next != null && next <= nowMillis);
    return new DeliveryRound(due.size(), more && !closed, next, closed);
  }

  private AttemptOutcome attempt(WebhookEndpoint endpoint, DueDelivery delivery, Instant now) {
    long timestamp = clock.instant().getEpochSecond();
    WebhookHttp.Answer answer =
        http.post(
            endpoint.url(),
            Map.of(
                "webhook-id", delivery.eventId(),
                "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature",
                    WebhookSignature.sign(
                        endpoint.secret(), delivery.eventId(), timestamp, delivery.body())),
            delivery.body());
    if (answer.succeeded()) {
      succeeded.increment();
      return new AttemptOutcome(
          delivery.id(), WebhookDelivery.SUCCEEDED, answer.status(), null, null);
    }
    failed.increment();
    Instant first = delivery.firstAttemptAt() == null ? now : delivery.firstAttemptAt();
    Instant next = WebhookBackoff.next(delivery.id(), delivery.attempts() + 1, first, now);
    String error = answer.error() != null ? answer.error() : "HTTP " + answer.status();
    return new AttemptOutcome(
        delivery.id(),
        next == null ? WebhookDelivery.FAILED : WebhookDelivery.PENDING,
        answer.status(),
        error,
        next);
  }

  /**
   * How long ago this activity's first attempt was scheduled: a retried round adds it to the
   * workflow's time it was given, so back-off is not computed from a time long past.
   */
  private static long sinceFirstAttempt() {
    var info = Activity.getExecutionContext().getInfo();
    return Math.max(0, info.getCurrentAttemptScheduledTimestamp() - info.getScheduledTimestamp());
  }

  private static AttemptOutcome awaitWithHeartbeat(CompletableFuture<AttemptOutcome> call) {
    while (true) {
      try {
        return call.get(1, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        Activity.getExecutionContext().heartbeat(null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Activity.wrap(e);
      } catch (ExecutionException e) {
        throw Activity.wrap(e.getCause());
      }
    }
  }

  private static String describe(AttemptOutcome outcome) {
    return outcome.error() == null ? "HTTP " + outcome.responseStatus() : outcome.error();
  }

  @Override
  public void destroy() throws IOException {
    senders.shutdownNow();
    http.close();
  }
}
