package dev.sequencer.workflows.testing;

import dev.sequencer.workflows.lead.PlanRequest;
import dev.sequencer.workflows.lead.PlanningActivities;
import dev.sequencer.workflows.lead.SequencePlan;
import dev.sequencer.workflows.lead.SlotGrant;
import dev.sequencer.workflows.lead.SlotRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plans like the campaign's calendar but for a campaign with a daily limit: each slot request is
 * granted the next instant queued in {@link #grants}, or its planned instant when none is.
 */
public final class SlottedPlanningActivities implements PlanningActivities {
  public final CalendarPlanningActivities delegate;
  public final List<Instant> grants = new CopyOnWriteArrayList<>();
  public final List<SlotRequest> slotRequests = new CopyOnWriteArrayList<>();

  public SlottedPlanningActivities(CalendarPlanningActivities delegate) {
    this.delegate = delegate;
  }

  @Override
  public SequencePlan planSteps(PlanRequest request) {
    SequencePlan plan = delegate.planSteps(request);
    return new SequencePlan(plan.zone(), plan.steps(), true);
  }

  @Override
  public Instant returnFromAbsence(long leadPk, LocalDate returnDate, Instant now) {
    return delegate.returnFromAbsence(leadPk, returnDate, now);
  }

  @Override
  public SlotGrant reserveSlot(SlotRequest request) {
    slotRequests.add(request);
    if (grants.isEmpty()) {
      return new SlotGrant(request.plannedAt(), null);
    }
    Instant at = grants.remove(0);
    return new SlotGrant(at, "daily_limit");
  }

  @Override
  public void recordWaiting(long leadPk, int fromPosition, String reason) {
    delegate.recordWaiting(leadPk, fromPosition, reason);
  }
}
