package dev.sequencer.workflows.lead;

import dev.sequencer.workflows.schedule.SendPlanner;
import dev.sequencer.workflows.schedule.StepSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plans with the real {@link SendPlanner}, the way the store-backed implementation does, for one
 * lead in one zone, and records every request.
 */
final class FakePlanningActivities implements PlanningActivities {

  final List<PlanRequest> requests = new CopyOnWriteArrayList<>();

  /** Each wait without a date the workflow recorded, as {@code position:reason}. */
  final List<String> waits = new CopyOnWriteArrayList<>();

  private final SendPlanner planner;
  private final ZoneId zone;
  private final List<StepSpec> steps;

  FakePlanningActivities(SendPlanner planner, ZoneId zone, List<StepSpec> steps) {
    this.planner = planner;
    this.zone = zone;
    this.steps = List.copyOf(steps);
  }

  @Override
  public SequencePlan planSteps(PlanRequest request) {
    requests.add(request);
    return new SequencePlan(zone.getId(), SequencePlanning.plan(planner, zone, steps, request));
  }

  @Override
  public Instant returnFromAbsence(long leadPk, LocalDate returnDate, Instant now) {
    return SequencePlanning.returnFromAbsence(planner, zone, returnDate, now);
  }

  /** The campaigns these tests plan for have no daily limit: every step keeps its instant. */
  @Override
  public SlotGrant reserveSlot(SlotRequest request) {
    return new SlotGrant(request.plannedAt(), null);
  }

  @Override
  public void recordWaiting(long leadPk, int fromPosition, String reason) {
    waits.add(fromPosition + ":" + reason);
  }
}
