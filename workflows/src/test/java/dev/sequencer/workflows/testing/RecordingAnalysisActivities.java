package dev.sequencer.workflows.testing;

import dev.sequencer.workflows.campaign.AnalysisActivities;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The A/B analysis without a store, for recording campaign histories: no winner until the scripted
 * instant, the scripted variant from then on. Records each check with the test server's time.
 */
public final class RecordingAnalysisActivities implements AnalysisActivities {

  public final List<Instant> checks = new CopyOnWriteArrayList<>();

  private final LongSupplier clock;
  private volatile Instant winnerFrom;
  private volatile String winner;

  /**
   * @param clock the workflow service's time, e.g. {@code testEnv::currentTimeMillis}
   */
  public RecordingAnalysisActivities(LongSupplier clock) {
    this.clock = clock;
  }

  /** From {@code at} on the test is decided for {@code variant}; with a null instant, never. */
  public RecordingAnalysisActivities winsFrom(Instant at, String variant) {
    this.winnerFrom = at;
    this.winner = variant;
    return this;
  }

  @Override
  public String checkAutoWinner(String campaignId) {
    Instant now = Instant.ofEpochMilli(clock.getAsLong());
    checks.add(now);
    return winnerFrom != null && !now.isBefore(winnerFrom) ? winner : null;
  }
}
