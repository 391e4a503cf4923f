package dev.sequencer.workflows.testing;

import dev.sequencer.workflows.lead.PlanRequest;
import dev.sequencer.workflows.lead.PlanningActivities;
import dev.sequencer.workflows.lead.SequencePlan;
import dev.sequencer.workflows.lead.SequencePlanning;
import dev.sequencer.workflows.lead.SlotGrant;
import dev.sequencer.workflows.lead.SlotRequest;
import dev.sequencer.workflows.schedule.ScheduleRules;
import dev.sequencer.workflows.schedule.SendPlanner;
import dev.sequencer.workflows.schedule.StepSpec;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plans with the real {@link SendPlanner} and {@link SequencePlanning}, as the store-backed
 * planning activity does, for one lead in one zone, and records every request. {@link #newYork()}
 * is the campaign the workflow tests use: 09:00-17:00 New York, Monday to Friday, U.S. federal
 * holidays, Hook → Proof → FOMO on business days 0, 3 and 7.
 */
public final class CalendarPlanningActivities implements PlanningActivities {

  public static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  public static final List<StepSpec> HOOK_PROOF_FOMO =
      List.of(new StepSpec("hook", 0), new StepSpec("proof", 3), new StepSpec("fomo", 7));
  public static final SendPlanner NEW_YORK_NINE_TO_FIVE =
      new SendPlanner(
          new ScheduleRules(
              "America/New_York",
              LocalTime.of(9, 0),
              LocalTime.of(17, 0),
              EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
              "US",
              Set.of()));

  public final List<PlanRequest> requests = new CopyOnWriteArrayList<>();

  /** Each wait without a date the workflow recorded, as {@code position:reason}. */
  public final List<String> waits = new CopyOnWriteArrayList<>();

  private final SendPlanner planner;
  private final ZoneId zone;
  private final List<StepSpec> steps;

  public CalendarPlanningActivities(SendPlanner planner, ZoneId zone, List<StepSpec> steps) {
    this.planner = planner;
    this.zone = zone;
    this.steps = List.copyOf(steps);
  }

  public static CalendarPlanningActivities newYork() {
    return new CalendarPlanningActivities(NEW_YORK_NINE_TO_FIVE, NEW_YORK, HOOK_PROOF_FOMO);
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
