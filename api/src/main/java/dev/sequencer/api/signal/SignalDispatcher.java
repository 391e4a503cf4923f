package dev.sequencer.api.signal;

import dev.sequencer.api.temporal.TemporalCalls;
import dev.sequencer.store.signal.PendingSignal;
import dev.sequencer.store.signal.SignalOutbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.common.v1.Payloads;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.common.converter.RawValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Delivers the signals of the {@link SignalOutbox}: woken by each commit that adds one, and every
 * {@link #POLL} for signals other processes left (a crash, Temporal down). Each round claims the
 * oldest signal of up to {@link #BATCH} workflows and sends them in parallel; a workflow's next
 * signal is claimable once its previous one is delivered, so its signals keep their commit order.
 */
@Component
public class SignalDispatcher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(SignalDispatcher.class);

  static final int BATCH = 256;
  static final Duration POLL = Duration.ofSeconds(1);

  /** Longer than a delivery can take ({@link TemporalCalls#DEADLINE}); a dead claimer's ends. */
  static final Duration CLAIM = Duration.ofSeconds(30);

  static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

  private final SignalOutbox outbox;
  private final WorkflowClient workflows;
  private final int concurrency;
  private final Counter delivered;
  private final Counter failed;
  private final Object wakeUp = new Object();
  private boolean nudged;
  private volatile boolean running;
  private Thread loop;
  private ExecutorService senders;

  SignalDispatcher(
      SignalOutbox outbox,
      WorkflowClient workflows,
      MeterRegistry meters,
      @Value("${sequencer.signals.concurrency:32}") int concurrency) {
    this.outbox = outbox;
    this.workflows = workflows;
    this.concurrency = concurrency;
    this.delivered =
        Counter.builder("sequencer.signals.delivered")
            .description("Workflow signals delivered from the outbox")
            .register(meters);
    this.failed =
        Counter.builder("sequencer.signals.failed")
            .description("Signal deliveries Temporal did not take; each is tried again")
            .register(meters);
    Gauge.builder("sequencer.signals.pending", outbox, SignalOutbox::pending)
        .description("Workflow signals committed and not yet delivered")
        .register(meters);
  }

  /** A commit added a signal: deliver it now rather than at the next poll. */
  public void nudge() {
    synchronized (wakeUp) {
      nudged = true;
      wakeUp.notifyAll();
    }
  }

  @Override
  public void start() {
    AtomicInteger threads = new AtomicInteger();
    senders =
        Executors.newFixedThreadPool(
            concurrency,
            task -> {
              Thread thread = new Thread(task, "signal-sender-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    running = true;
    loop = new Thread(this::dispatch, "signal-dispatcher");
    loop.setDaemon(true);
    loop.start();
  }

  @Override
  public void stop() {
    running = false;
    nudge();
    try {
      loop.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    senders.shutdownNow();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void dispatch() {
    while (running) {
      try {
        if (deliverRound() == 0) {
          awaitWork();
        }
      } catch (RuntimeException e) {
        // The store is down or refused the claim: the signals wait in the outbox meanwhile.
        log.warn("could not deliver workflow signals; retrying in {}", POLL, e);
        sleep(POLL);
      }
    }
  }

  /**
   * @return how many signals this round claimed
   */
  int deliverRound() {
    List<PendingSignal> claimed = outbox.claim(BATCH, CLAIM);
    if (claimed.isEmpty()) {
      return 0;
    }
    List<CompletableFuture<Boolean>> sends = new ArrayList<>(claimed.size());
    for (PendingSignal signal : claimed) {
      sends.add(CompletableFuture.supplyAsync(() -> deliver(signal), senders));
    }
    List<Long> done = new ArrayList<>(claimed.size());
    for (int i = 0; i < claimed.size(); i++) {
      PendingSignal signal = claimed.get(i);
      if (sends.get(i).join()) {
        done.add(signal.id());
      } else {
        outbox.retryLater(signal.id(), backoff(signal.attempts()));
      }
    }
    outbox.delivered(done);
    return claimed.size();
  }

  /**
   * @return whether the signal is done with: delivered, or its workflow has ended
   */
  private boolean deliver(PendingSignal signal) {
    try {
      Object[] arguments =
          signal.arguments() == null
              ? new Object[0]
              : Payloads.parseFrom(signal.arguments()).getPayloadsList().stream()
                  .map(RawValue::new)
                  .toArray();
      TemporalCalls.run(
          () ->
              workflows
                  .newUntypedWorkflowStub(signal.workflowId())
                  .signal(signal.signal(), arguments));
      delivered.increment();
      return true;
    } catch (WorkflowNotFoundException e) {
      log.debug("{} has ended; its {} signal is dropped", signal.workflowId(), signal.signal());
      return true;
    } catch (Exception e) {
      failed.increment();
      log.warn(
          "signal {} to {} not delivered (attempt {}); retrying",
          signal.signal(),
          signal.workflowId(),
          signal.attempts(),
          e);
      return false;
    }
  }

  static Duration backoff(int attempts) {
    long seconds = 1L << Math.min(Math.max(attempts - 1, 0), 6);
    return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
  }

  private void awaitWork() {
    synchronized (wakeUp) {
      if (!nudged && running) {
        try {
          wakeUp.wait(POLL.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          running = false;
        }
      }
      nudged = false;
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
