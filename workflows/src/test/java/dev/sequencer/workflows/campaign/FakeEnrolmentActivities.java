package dev.sequencer.workflows.campaign;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Records every call with the workflow service's time; {@code enrolPending} enrols the next count
 * of its script (0 once the script is used up).
 */
final class FakeEnrolmentActivities implements EnrolmentActivities {

  record Enrolment(String campaignId, Instant sequenceStart, Instant at) {}

  record Broadcast(String campaignId, LeadCommand command, Instant at) {}

  final List<Instant> markRunning = new CopyOnWriteArrayList<>();
  final List<Enrolment> enrolments = new CopyOnWriteArrayList<>();
  final List<Broadcast> broadcasts = new CopyOnWriteArrayList<>();

  private final ConcurrentLinkedDeque<Long> enrolled = new ConcurrentLinkedDeque<>();
  private final LongSupplier clock;

  /**
   * @param clock the workflow service's time, e.g. {@code testEnv::currentTimeMillis}
   */
  FakeEnrolmentActivities(LongSupplier clock) {
    this.clock = clock;
  }

  /** How many leads the next calls of {@code enrolPending} enrol, in order. */
  FakeEnrolmentActivities enrols(long... counts) {
    for (long count : counts) {
      enrolled.add(count);
    }
    return this;
  }

  @Override
  public void markRunning(String campaignId) {
    markRunning.add(now());
  }

  @Override
  public long enrolPending(String campaignId, Instant sequenceStart) {
    enrolments.add(new Enrolment(campaignId, sequenceStart, now()));
    Long count = enrolled.poll();
    return count == null ? 0 : count;
  }

  private volatile java.util.concurrent.CountDownLatch held;
  final java.util.concurrent.CountDownLatch heldBroadcastStarted =
      new java.util.concurrent.CountDownLatch(1);

  /** The next resume broadcast runs until {@link #releaseBroadcasts()}. */
  void holdBroadcasts() {
    held = new java.util.concurrent.CountDownLatch(1);
  }

  void releaseBroadcasts() {
    held.countDown();
  }

  @Override
  public void broadcast(String campaignId, LeadCommand command) {
    broadcasts.add(new Broadcast(campaignId, command, now()));
    java.util.concurrent.CountDownLatch gate = held;
    if (gate != null && command.kind() == LeadCommand.Kind.RESUME) {
      heldBroadcastStarted.countDown();
      try {
        gate.await(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The cron of a recurring campaign in these tests: every day at 09:00 UTC. */
  final java.util.function.UnaryOperator<Instant> occurrences =
      FakeEnrolmentActivities::nextNineUtc;

  private static Instant nextNineUtc(Instant after) {
    java.time.LocalDate day = after.atZone(java.time.ZoneOffset.UTC).toLocalDate();
    Instant nine = day.atTime(9, 0).toInstant(java.time.ZoneOffset.UTC);
    return nine.isAfter(after) ? nine : nine.plus(java.time.Duration.ofDays(1));
  }

  final List<Instant> runs = new CopyOnWriteArrayList<>();

  @Override
  public Instant nextOccurrence(String campaignId, Instant after) {
    return occurrences.apply(after);
  }

  @Override
  public void recordRun(String campaignId, Instant startedAt, long enrolled) {
    runs.add(startedAt);
  }

  /** Whether the next completion checks find the campaign done, in order (false after). */
  final java.util.Deque<Boolean> completions = new java.util.concurrent.ConcurrentLinkedDeque<>();

  final List<Instant> completionChecks = new CopyOnWriteArrayList<>();

  @Override
  public boolean completeIfDone(String campaignId) {
    completionChecks.add(now());
    Boolean done = completions.poll();
    return done != null && done;
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.getAsLong());
  }
}
