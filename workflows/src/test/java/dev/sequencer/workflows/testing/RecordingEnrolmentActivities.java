package dev.sequencer.workflows.testing;

import dev.sequencer.workflows.campaign.EnrolmentActivities;
import dev.sequencer.workflows.campaign.LeadCommand;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Enrolment without a store, for recording campaign histories: it answers from a script set before
 * the run and records every call with the test server's time. A recording waits on these calls (in
 * real time) before its next signal, so that each signal lands in a round of its own.
 */
public final class RecordingEnrolmentActivities implements EnrolmentActivities {

  /** One call, named by the activity's method. */
  public record Call(String activity, Instant at) {}

  public final List<Call> calls = new CopyOnWriteArrayList<>();
  public final List<LeadCommand> broadcasts = new CopyOnWriteArrayList<>();

  private final ConcurrentLinkedDeque<Long> pending = new ConcurrentLinkedDeque<>();
  private final LongSupplier clock;
  private volatile Instant finishedFrom;
  private volatile LocalTime dailyAtUtc;
  private volatile int actionAtBroadcast;
  private volatile Runnable broadcastAction = () -> {};

  /**
   * @param clock the workflow service's time, e.g. {@code testEnv::currentTimeMillis}
   */
  public RecordingEnrolmentActivities(LongSupplier clock) {
    this.clock = clock;
  }

  /** How many leads the next calls of {@code enrolPending} find pending, in order; none after. */
  public RecordingEnrolmentActivities enrols(long... counts) {
    for (long count : counts) {
      pending.add(count);
    }
    return this;
  }

  /**
   * From {@code at} on every lead has reached a final status, so the completion check completes the
   * campaign; with null, never.
   */
  public RecordingEnrolmentActivities finishedFrom(Instant at) {
    this.finishedFrom = at;
    return this;
  }

  /** The recurring campaign's cron: every day at {@code time} UTC; with null, none. */
  public RecordingEnrolmentActivities recursDailyAt(LocalTime time) {
    this.dailyAtUtc = time;
    return this;
  }

  /** Runs {@code action} inside the n-th broadcast (from 1), before that broadcast returns. */
  public RecordingEnrolmentActivities duringBroadcast(int n, Runnable action) {
    this.actionAtBroadcast = n;
    this.broadcastAction = action;
    return this;
  }

  public int count(String activity) {
    return (int) calls.stream().filter(call -> call.activity().equals(activity)).count();
  }

  /**
   * Waits in real time (the test server's time stands still while nobody awaits a result) until
   * {@code activity} was called {@code count} times.
   */
  public void awaitCount(String activity, int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (count(activity) < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            activity + " called " + count(activity) + " times, not " + count + ": " + calls);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void markRunning(String campaignId) {
    record("markRunning");
  }

  @Override
  public long enrolPending(String campaignId, Instant sequenceStart) {
    record("enrolPending");
    Long count = pending.poll();
    return count == null ? 0 : count;
  }

  @Override
  public void broadcast(String campaignId, LeadCommand command) {
    broadcasts.add(command);
    Instant at = record("broadcast");
    if (count("broadcast") == actionAtBroadcast && at != null) {
      broadcastAction.run();
    }
  }

  @Override
  public boolean completeIfDone(String campaignId) {
    Instant at = record("completeIfDone");
    return finishedFrom != null && !at.isBefore(finishedFrom);
  }

  @Override
  public Instant nextOccurrence(String campaignId, Instant after) {
    record("nextOccurrence");
    if (dailyAtUtc == null) {
      return null;
    }
    Instant sameDay =
        after.atZone(ZoneOffset.UTC).toLocalDate().atTime(dailyAtUtc).toInstant(ZoneOffset.UTC);
    return sameDay.isAfter(after) ? sameDay : sameDay.plus(Duration.ofDays(1));
  }

  @Override
  public void recordRun(String campaignId, Instant startedAt, long enrolled) {
    record("recordRun");
  }

  private Instant record(String activity) {
    Instant at = Instant.ofEpochMilli(clock.getAsLong());
    calls.add(new Call(activity, at));
    return at;
  }
}
