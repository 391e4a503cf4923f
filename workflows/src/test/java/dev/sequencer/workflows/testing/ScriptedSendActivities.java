package dev.sequencer.workflows.testing;

import dev.sequencer.workflows.lead.LeadEnding;
import dev.sequencer.workflows.lead.LeadOutcome;
import dev.sequencer.workflows.lead.SendActivities;
import dev.sequencer.workflows.lead.SendRequest;
import dev.sequencer.workflows.lead.SendResult;
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
 * A send activity that sends nothing but answers the way the store-backed one can: each step
 * follows a queue of reactions, one per call (without one it sends), and a step delivered once is
 * reported as that delivery on every later call. Unlike {@code lead.FakeSendActivities} it can also
 * answer {@code PAUSED} and run an action (e.g. a signal) while the call is in flight.
 */
public final class ScriptedSendActivities implements SendActivities {

  /** One call of {@code sendStep}, at the test environment's time. */
  public record Call(SendRequest request, int attempt, Instant at) {}

  /** One message handed over to the (pretend) provider. */
  public record Delivery(String messageId, Instant at) {}

  /** One call of {@code finishSequence}. */
  public record Finish(LeadOutcome outcome, Instant at) {}

  /** How the fake answers one call for a step. */
  public sealed interface Reaction {}

  public record Send() implements Reaction {}

  public record Defer(Instant retryAt, String reason) implements Reaction {}

  /** The store says the lead or its campaign is paused. */
  public record Paused() implements Reaction {}

  /** The store says paused on every call before {@code until}; the next reaction applies after. */
  public record PausedUntil(Instant until) implements Reaction {}

  /** The store says the lead may no longer be messaged. */
  public record Stopped(String leadStatus) implements Reaction {}

  public record Fail(String reason) implements Reaction {}

  /** No channel of the step reaches the lead: the step is skipped, the sequence goes on. */
  public record Skipped(String reason) implements Reaction {}

  /** The activity throws, as when the relay is down: Temporal retries it. */
  public record Crash(String message) implements Reaction {}

  /** Runs {@code during} while the call is in flight (e.g. a signal), then answers {@code then}. */
  public record During(Runnable during, Reaction then) implements Reaction {}

  public final List<Call> calls = new CopyOnWriteArrayList<>();
  public final Map<Integer, Delivery> delivered = new ConcurrentHashMap<>();
  public final List<Finish> finished = new CopyOnWriteArrayList<>();

  private final Map<Integer, Deque<Reaction>> scripts = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  /**
   * @param clock the workflow service's time, e.g. {@code testEnv::currentTimeMillis}
   */
  public ScriptedSendActivities(LongSupplier clock) {
    this.clock = clock;
  }

  /** The reactions to the next calls for the step at {@code position}, in order. */
  public ScriptedSendActivities script(int position, Reaction... reactions) {
    scripts
        .computeIfAbsent(position, p -> new ConcurrentLinkedDeque<>())
        .addAll(List.of(reactions));
    return this;
  }

  @Override
  public SendResult sendStep(SendRequest request) {
    Instant now = now();
    calls.add(new Call(request, Activity.getExecutionContext().getInfo().getAttempt(), now));
    Delivery earlier = delivered.get(request.position());
    if (earlier != null) {
      return SendResult.sent(earlier.at(), earlier.messageId());
    }
    Deque<Reaction> script = scripts.get(request.position());
    if (script != null && script.peek() instanceof PausedUntil p) {
      if (now.isBefore(p.until())) {
        return SendResult.paused();
      }
      script.poll();
    }
    Reaction reaction = script == null || script.isEmpty() ? new Send() : script.poll();
    return answer(request, reaction, now);
  }

  @Override
  public void finishSequence(long leadPk, LeadOutcome outcome) {
    finished.add(new Finish(outcome, now()));
  }

  /** Calls for the step at {@code position}, in order. */
  public List<Call> callsFor(int position) {
    return calls.stream().filter(c -> c.request().position() == position).toList();
  }

  /** The step types of all calls, in order. */
  public List<String> calledSteps() {
    return calls.stream().map(c -> c.request().stepType()).toList();
  }

  /** The outcomes passed to {@code finishSequence}, in order. */
  public List<LeadOutcome> finishedOutcomes() {
    return finished.stream().map(Finish::outcome).toList();
  }

  private SendResult answer(SendRequest request, Reaction reaction, Instant now) {
    if (reaction instanceof During d) {
      d.during().run();
      return answer(request, d.then(), now);
    }
    if (reaction instanceof Defer d) {
      return SendResult.deferred(d.retryAt(), d.reason());
    }
    if (reaction instanceof Paused) {
      return SendResult.paused();
    }
    if (reaction instanceof Stopped s) {
      return SendResult.stopped(LeadEnding.of(s.leadStatus()));
    }
    if (reaction instanceof Skipped s) {
      return SendResult.skipped(s.reason());
    }
    if (reaction instanceof Crash c) {
      throw new IllegalStateException(c.message());
    }
    if (reaction instanceof Fail f) {
      return SendResult.failed(f.reason());
    }
    Delivery delivery =
        delivered.computeIfAbsent(
            request.position(), p -> new Delivery("msg-" + request.workflowId() + ":" + p, now));
    return SendResult.sent(delivery.at(), delivery.messageId());
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.getAsLong());
  }
}
