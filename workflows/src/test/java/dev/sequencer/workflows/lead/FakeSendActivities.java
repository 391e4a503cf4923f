package dev.sequencer.workflows.lead;

import io.temporal.activity.Activity;
import java.time.Instant;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Sends nothing, but behaves like the real send activity where the workflow can tell: a message is
 * delivered at most once per (workflow id, position), and a retry after a delivery returns that
 * delivery. Each step follows a script of reactions, one per call; without one it sends.
 */
final class FakeSendActivities implements SendActivities {

  /** One call of {@code sendStep}, at the test environment's time. */
  record Call(SendRequest request, int attempt, Instant at) {}

  /** One message handed over to the (pretend) provider. */
  record Delivery(String messageId, Instant at) {}

  /** How the fake answers one call for a step. */
  sealed interface Reaction {}

  record Send() implements Reaction {}

  record Defer(Instant retryAt, String reason) implements Reaction {}

  record Stop(LeadEnding ending) implements Reaction {}

  record Fail(String reason) implements Reaction {}

  /** A relay error before anything was handed over. */
  record ThrowBeforeDelivery() implements Reaction {}

  /** Handed over, then the attempt dies before it can report (lost acknowledgement). */
  record ThrowAfterDelivery() implements Reaction {}

  final List<Call> calls = new CopyOnWriteArrayList<>();
  final Map<String, Delivery> delivered = new ConcurrentHashMap<>();
  final List<LeadOutcome> finished = new CopyOnWriteArrayList<>();

  private final Map<Integer, Deque<Reaction>> scripts = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  /**
   * @param clock the workflow service's time, e.g. {@code testEnv::currentTimeMillis}
   */
  FakeSendActivities(LongSupplier clock) {
    this.clock = clock;
  }

  /** The reactions to the next calls for the step at {@code position}, in order. */
  FakeSendActivities script(int position, Reaction... reactions) {
    scripts
        .computeIfAbsent(position, p -> new ConcurrentLinkedDeque<>())
        .addAll(List.of(reactions));
    return this;
  }

  @Override
  public SendResult sendStep(SendRequest request) {
    Instant now = Instant.ofEpochMilli(clock.getAsLong());
    calls.add(new Call(request, Activity.getExecutionContext().getInfo().getAttempt(), now));
    String key = request.workflowId() + ":" + request.position();
    Delivery earlier = delivered.get(key);
    if (earlier != null) {
      return SendResult.sent(earlier.at(), earlier.messageId());
    }
    Deque<Reaction> script = scripts.get(request.position());
    Reaction reaction = script == null || script.isEmpty() ? new Send() : script.poll();
    if (reaction instanceof Defer d) {
      return SendResult.deferred(d.retryAt(), d.reason());
    }
    if (reaction instanceof Stop s) {
      return SendResult.stopped(s.ending());
    }
    if (reaction instanceof Fail f) {
      return SendResult.failed(f.reason());
    }
    if (reaction instanceof ThrowBeforeDelivery) {
      throw new IllegalStateException("relay unavailable");
    }
    Delivery delivery = deliver(key, now);
    if (reaction instanceof ThrowAfterDelivery) {
      throw new IllegalStateException("connection lost after hand-over");
    }
    return SendResult.sent(delivery.at(), delivery.messageId());
  }

  @Override
  public void finishSequence(long leadPk, LeadOutcome outcome) {
    finished.add(outcome);
  }

  /** Calls for the step at {@code position}, in order. */
  List<Call> callsFor(int position) {
    return calls.stream().filter(c -> c.request().position() == position).toList();
  }

  private Delivery deliver(String key, Instant at) {
    return delivered.computeIfAbsent(key, k -> new Delivery("msg-" + k, at));
  }
}
