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
}
