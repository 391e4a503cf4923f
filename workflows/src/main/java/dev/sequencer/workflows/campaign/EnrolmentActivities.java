package dev.sequencer.workflows.campaign;

import io.temporal.activity.ActivityInterface;
import java.time.Instant;

@ActivityInterface
public interface EnrolmentActivities {

  /** Marks the campaign running once its start has come. */
  void markRunning(String campaignId);

  /**
   * Enrols every pending lead of the campaign in batches: assigns its variant or holdout, and
   * starts its sequence workflow. Heartbeats its progress, so a retry after a worker crash resumes
   * where it stopped; a lead's workflow id makes a second start of the same lead impossible.
   *
   * @return how many leads were enrolled
   */
  long enrolPending(String campaignId, Instant sequenceStart);

  /**
   * Signals {@code command} to every running lead of the campaign, in batches with heartbeats,
   * resuming after a crash where it stopped.
   */
  void broadcast(String campaignId, LeadCommand command);

  /**
   * Marks a running campaign {@code completed} when it has leads and every one of them has reached
   * a final status.
   *
   * @return whether the campaign is completed now
   */
  boolean completeIfDone(String campaignId);

  /**
   * The first occurrence of a recurring campaign's cron ({@code schedule.recurrence}, in the
   * campaign's time zone) after {@code after}, or null when it has none.
   */
  Instant nextOccurrence(String campaignId, Instant after);

  /** Records a run of a recurring campaign and how many leads it enrolled. */
  void recordRun(String campaignId, Instant startedAt, long enrolled);
}
