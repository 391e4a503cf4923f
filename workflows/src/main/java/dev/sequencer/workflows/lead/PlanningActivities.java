package dev.sequencer.workflows.lead;

import io.temporal.activity.ActivityInterface;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Plans a lead's steps with the campaign's business calendar. Run as a local activity: holiday
 * tables and time-zone rules change with library upgrades, and a plan recorded in the history as an
 * activity result replays the same whatever the worker's libraries say today.
 */
@ActivityInterface
public interface PlanningActivities {

  /** Computes the plan and records it on the lead's steps so the API shows it at once. */
  SequencePlan planSteps(PlanRequest request);

  /**
   * When an absent lead is back: the first allowed instant of the business day after {@code
   * returnDate}, or of the fifth business day after {@code now} when the date is unknown.
   */
  Instant returnFromAbsence(long leadPk, LocalDate returnDate, Instant now);

  /**
   * Reserves the step's slot of the campaign's daily capacity (or returns the one it holds) and
   * shows it as the step's {@code scheduled_at} and reason.
   */
  SlotGrant reserveSlot(SlotRequest request);

  /**
   * Shows that the lead's steps from {@code fromPosition} on wait without a date: paused, by the
   * lead's own pause or its campaign's.
   */
  void recordWaiting(long leadPk, int fromPosition, String reason);
}
