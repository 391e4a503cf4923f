package dev.sequencer.workflows.lead;

import dev.sequencer.workflows.schedule.SendPlanner;
import dev.sequencer.workflows.schedule.StepPlan;
import dev.sequencer.workflows.schedule.StepSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The scheduling rules of API.md applied to one lead's steps: pure, so the planning activity and
 * tests use the very same code.
 */
public final class SequencePlanning {

  private SequencePlanning() {}

  /** The plan of {@code steps} from the request's position on. */
  public static List<PlannedStep> plan(
      SendPlanner planner, ZoneId zone, List<StepSpec> steps, PlanRequest request) {
    return plan(java.util.Collections.nCopies(steps.size(), planner), zone, steps, request);
  }

  /**
   * The plan of {@code steps} from the request's position on, each step by its own planner (the
   * rules of the channel it goes out on).
   */
  public static List<PlannedStep> plan(
      List<SendPlanner> planners, ZoneId zone, List<StepSpec> steps, PlanRequest request) {
    List<PlannedStep> planned = new ArrayList<>();
    if (request.fromPosition() == 0) {
      SendPlanner hookPlanner = planners.get(0);
      Instant due = hookPlanner.firstAllowedAtOrAfter(request.anchor(), zone);
      boolean moved = request.notBefore() != null && request.notBefore().isAfter(due);
      Instant start = moved ? request.notBefore() : request.anchor();
      List<StepPlan> plans = new ArrayList<>(hookPlanner.plan(start, zone, steps));
      for (int i = 1; i < plans.size(); i++) {
        if (planners.get(i) != hookPlanner) {
          plans.set(
              i, planners.get(i).planStepAfterHook(plans.get(0).scheduledAt(), zone, steps.get(i)));
        }
      }
      for (int i = 0; i < plans.size(); i++) {
        StepPlan p = plans.get(i);
        String reason = i == 0 && moved ? request.reason() : p.reason();
        planned.add(new PlannedStep(i, p.type(), p.day(), p.scheduledAt(), "scheduled", reason));
      }
      return planned;
    }
    Instant previous = request.anchor();
    int previousDay = request.anchorDay();
    for (int i = request.fromPosition(); i < steps.size(); i++) {
      StepSpec step = steps.get(i);
      SendPlanner planner = planners.get(i);
      Instant at =
          request.chained()
              ? planner.planAfter(previous, step.day() - previousDay, zone)
              : planner.planAfter(request.anchor(), step.day() - request.anchorDay(), zone);
      String reason = null;
      if (i == request.fromPosition()
          && request.notBefore() != null
          && at.isBefore(request.notBefore())) {
        at = planner.firstAllowedAtOrAfter(request.notBefore(), zone);
        reason = request.reason();
      }
      planned.add(new PlannedStep(i, step.type(), step.day(), at, "scheduled", reason));
      previous = at;
      previousDay = step.day();
    }
    return planned;
  }

  /**
   * When an absent lead is back: the first allowed instant of the business day after {@code
   * returnDate}, or of the fifth business day after {@code now} when no date is known.
   */
  public static Instant returnFromAbsence(
      SendPlanner planner, ZoneId zone, LocalDate returnDate, Instant now) {
    LocalDate back =
        returnDate != null
            ? planner.calendar().addBusinessDays(returnDate, 1)
            : planner.calendar().addBusinessDays(LocalDate.ofInstant(now, zone), 5);
    Instant at = planner.firstAllowedAtOrAfter(back.atStartOfDay(zone).toInstant(), zone);
    return at.isBefore(now) ? planner.firstAllowedAtOrAfter(now, zone) : at;
  }
}
