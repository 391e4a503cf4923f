package dev.sequencer.simulation;

import dev.sequencer.activities.limits.SlotSearch;
import dev.sequencer.activities.planning.PlanningActivitiesImpl;
import dev.sequencer.store.quota.SendReservations.Reservation;
import dev.sequencer.workflows.lead.PlanRequest;
import dev.sequencer.workflows.lead.PlannedStep;
import dev.sequencer.workflows.lead.PlanningActivities;
import dev.sequencer.workflows.lead.SequencePlan;
import dev.sequencer.workflows.lead.SequencePlanning;
import dev.sequencer.workflows.lead.SlotGrant;
import dev.sequencer.workflows.lead.SlotRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The planning activities of a simulation: the service's own planner and slot search, with the
 * campaign's capacity in memory instead of the store. Nothing is written anywhere.
 */
final class SimulatedPlanning implements PlanningActivities {

  private final SimulationRun run;

  SimulatedPlanning(SimulationRun run) {
    this.run = run;
  }

  @Override
  public SequencePlan planSteps(PlanRequest request) {
    SimulatedLead lead = run.lead(request.leadPk());
    return planOf(run, lead, request);
  }

  /** The plan the real planning makes for this lead, noted in the tally. */
  static SequencePlan planOf(SimulationRun run, SimulatedLead lead, PlanRequest request) {
    List<PlannedStep> planned =
        PlanningActivitiesImpl.plan(
            run.campaign(), lead.variant, lead.zone.getId(), lead.state, request);
    run.tally().planned(lead, planned);
    return new SequencePlan(lead.zone.getId(), planned, run.limited());
  }

  @Override
  public Instant returnFromAbsence(long leadPk, LocalDate returnDate, Instant now) {
    SimulatedLead lead = run.lead(leadPk);
    return SequencePlanning.returnFromAbsence(run.planner(lead), lead.zone, returnDate, now);
  }

  @Override
  public SlotGrant reserveSlot(SlotRequest request) {
    SimulatedLead lead = run.lead(request.leadPk());
    if (!run.limited() || lead.stopped() != null) {
      return new SlotGrant(request.plannedAt(), null);
    }
    String key = request.workflowId() + ":" + request.position();
    DayLedger ledger = run.ledger();
    synchronized (ledger) {
      Optional<Reservation> held = ledger.heldFor(key);
      if (held.isPresent() && !held.get().at().isBefore(request.plannedAt())) {
        return new SlotGrant(held.get().at(), null);
      }
      held.ifPresent(ledger::release);
      SlotSearch.Found found =
          SlotSearch.first(
              run.campaign(), key, request.plannedAt(), lead.zone, lead.state, ledger, false);
      ledger.hold(
          new Reservation(key, run.campaign().id(), lead.pk, found.day(), found.at(), null, null));
      run.tally().moved(lead, request.position(), found.reason(), found.at());
      return new SlotGrant(found.at(), found.reason());
    }
  }

  @Override
  public void recordWaiting(long leadPk, int fromPosition, String reason) {
    // Only the store shows waiting steps; a simulation has none to show.
  }
}
