package dev.sequencer.workflows.lead;

import dev.sequencer.workflows.schedule.SendPlanner;
import dev.sequencer.workflows.schedule.StepPlan;
import dev.sequencer.workflows.schedule.StepSpec;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plans with the real {@link SendPlanner}, the way the store-backed implementation does, for one
 * lead in one zone, and records every request.
 */
final class FakePlanningActivities implements PlanningActivities {

  final List<PlanRequest> requests = new CopyOnWriteArrayList<>();

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
    List<PlannedStep> planned = new ArrayList<>();
    if (request.fromPosition() == 0) {
      List<StepPlan> plans = planner.plan(request.anchor(), zone, steps);
      for (int i = 0; i < plans.size(); i++) {
        StepPlan p = plans.get(i);
        planned.add(
            new PlannedStep(i, p.type(), p.day(), p.scheduledAt(), "scheduled", p.reason()));
      }
    } else {
      for (int i = request.fromPosition(); i < steps.size(); i++) {
        StepSpec step = steps.get(i);
        Instant at = planner.planAfter(request.anchor(), step.day() - request.anchorDay(), zone);
        planned.add(new PlannedStep(i, step.type(), step.day(), at, "scheduled", null));
      }
    }
    return new SequencePlan(zone.getId(), planned);
  }
}
