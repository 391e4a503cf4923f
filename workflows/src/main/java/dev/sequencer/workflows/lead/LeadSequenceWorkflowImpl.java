package dev.sequencer.workflows.lead;

import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Plans a lead's steps, sleeps on durable timers until each one, sends it through the send
 * activity, and reacts to pause, resume, out-of-office and stop signals. The store is the source of
 * truth for consent: the send activity re-checks it under the lead's row lock, so a signal that
 * arrives while a timer fires can never let a message through after the API accepted a stop.
 */
public class LeadSequenceWorkflowImpl implements LeadSequenceWorkflow {

  private static final Logger log = Workflow.getLogger(LeadSequenceWorkflowImpl.class);

  /** How long a pause found in the store (not signalled) waits before the send is tried again. */
  static final Duration STORE_PAUSE_RECHECK = Duration.ofHours(1);

  private final PlanningActivities planning =
      Workflow.newLocalActivityStub(
          PlanningActivities.class,
          LocalActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(30))
              .setRetryOptions(
                  RetryOptions.newBuilder().setMaximumInterval(Duration.ofMinutes(1)).build())
              .build());

  // Sends retry with a capped backoff and a bounded number of attempts, lest a broken relay turn
  // one step into a storm; the activity itself makes every attempt idempotent.
  private final SendActivities sending =
      Workflow.newActivityStub(
          SendActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMinutes(2))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofSeconds(5))
                      .setBackoffCoefficient(2.0)
                      .setMaximumInterval(Duration.ofMinutes(10))
                      .setMaximumAttempts(12)
                      .build())
              .build());

  private String status = "active";
  private List<PlannedStep> plan = List.of();
  private int nextStep;
  private boolean pausedBySignal;
  private int resumes;
  private Stop stop;

  /** The sequence's start; a campaign rescheduled before any step went out moves it. */
  private Instant sequenceStart;

  private Instant rescheduledTo;
  private OutOfOffice outOfOffice;
  private Instant lastSentAt;
  private int lastSentDay;

  /** After a pause, later steps keep their gap to the step before rather than to the hook. */
  private boolean anchorOnPrevious;

  @WorkflowInit
  public LeadSequenceWorkflowImpl(LeadSequenceInput input) {}

  @Override
  public LeadOutcome run(LeadSequenceInput input) {
    String workflowId = Workflow.getInfo().getWorkflowId();
    plan =
        new ArrayList<>(
            planning
                .planSteps(PlanRequest.fromStart(input.leadPk(), sequenceStart(input)))
                .steps());
    while (nextStep < plan.size()) {
      if (stop != null) {
        return finish(input, new LeadOutcome(stop.status(), stop.reason()));
      }
      if (rescheduledTo != null) {
        reschedule(input);
        continue;
      }
      if (outOfOffice != null) {
        awaitReturn(input);
        continue;
      }
      if (pausedBySignal) {
        awaitResume(input);
        continue;
      }
      PlannedStep step = plan.get(nextStep);
      Duration wait = Duration.between(now(), step.scheduledAt());
      if (wait.compareTo(Duration.ZERO) > 0) {
        Workflow.await(
            wait,
            () -> stop != null || pausedBySignal || outOfOffice != null || rescheduledTo != null);
        continue;
      }
      SendResult result =
          sending.sendStep(
              new SendRequest(workflowId, input.leadPk(), step.position(), step.type(), now()));
      switch (result.outcome()) {
        case SENT -> sent(input, step, result);
        case DEFERRED -> {
          log.info("step {} deferred to {}: {}", step.type(), result.retryAt(), result.reason());
          plan.set(nextStep, with(step, "scheduled", result.retryAt(), result.reason()));
        }
        case PAUSED -> {
          // Version 1: a pause found in the store is a pause like a signalled one — later steps
          // keep their gaps to the step before — and a resume signal ends the wait at once.
          boolean asPause =
              Workflow.getVersion("store-pause-keeps-gaps", Workflow.DEFAULT_VERSION, 1) >= 1;
          awaitStorePause(asPause);
        }
        case FAILED -> {
          plan.set(nextStep, with(step, "failed", step.scheduledAt(), result.reason()));
          return finish(input, new LeadOutcome("failed", result.reason()));
        }
        case STOPPED -> {
          return finish(input, new LeadOutcome(result.reason(), result.reason()));
        }
      }
    }
    return finish(input, new LeadOutcome("completed", null));
  }

  @Override
  public LeadSequenceState state() {
    return new LeadSequenceState(status, nextStep, List.copyOf(plan));
  }

  @Override
  public void pause(String reason) {
    pausedBySignal = true;
  }

  @Override
  public void resume() {
    pausedBySignal = false;
    resumes++;
  }

  @Override
  public void stop(Stop stop) {
    if (this.stop == null) {
      this.stop = stop;
    }
  }

  @Override
  public void reschedule(Instant sequenceStart) {
    rescheduledTo = sequenceStart;
  }

  @Override
  public void outOfOffice(OutOfOffice outOfOffice) {
    this.outOfOffice = outOfOffice;
  }

  private void sent(LeadSequenceInput input, PlannedStep step, SendResult result) {
    plan.set(nextStep, with(step, "sent", result.sentAt(), null));
    lastSentAt = result.sentAt();
    lastSentDay = step.day();
    nextStep++;
    if (nextStep < plan.size() && (step.position() == 0 || anchorOnPrevious)) {
      // Later steps count their business days from the day this step actually went out.
      replan(
          new PlanRequest(
              input.leadPk(), nextStep, lastSentAt, lastSentDay, null, null, anchorOnPrevious));
    }
  }

  /** The campaign's start moved: a sequence that sent nothing yet is planned from the new one. */
  private void reschedule(LeadSequenceInput input) {
    Instant to = rescheduledTo;
    rescheduledTo = null;
    if (lastSentAt == null) {
      sequenceStart = to;
      replan(PlanRequest.fromStart(input.leadPk(), to));
    }
  }

  private Instant sequenceStart(LeadSequenceInput input) {
    return sequenceStart != null ? sequenceStart : input.sequenceStart();
  }

  private void awaitResume(LeadSequenceInput input) {
    status = "paused";
    Workflow.await(() -> !pausedBySignal || stop != null);
    if (stop == null) {
      resumeAt(input, now(), "paused");
    }
  }

  /** The store says paused before our signal came: wait for it, or look again in a while. */
  private void awaitStorePause(boolean asPause) {
    status = "paused";
    int seen = resumes;
    boolean woken =
        Workflow.await(
            STORE_PAUSE_RECHECK,
            () ->
                pausedBySignal
                    || stop != null
                    || outOfOffice != null
                    || (asPause && resumes != seen));
    if (asPause) {
      anchorOnPrevious = true;
    }
    if (!woken || !pausedBySignal) {
      status = "active";
    }
  }

  private void awaitReturn(LeadSequenceInput input) {
    OutOfOffice absence = outOfOffice;
    outOfOffice = null;
    status = "out_of_office";
    Instant back = planning.returnFromAbsence(input.leadPk(), absence.returnDate(), now());
    Workflow.await(Duration.between(now(), back), () -> stop != null || outOfOffice != null);
    if (stop == null && outOfOffice == null) {
      resumeAt(input, back, "out_of_office");
    }
  }

  /**
   * Plans the remaining steps after a pause: the step that fell due moves to the first allowed
   * instant from {@code notBefore}, and each later step keeps its business-day gap to the step
   * before it.
   */
  private void resumeAt(LeadSequenceInput input, Instant notBefore, String reason) {
    status = "active";
    anchorOnPrevious = true;
    if (lastSentAt == null) {
      // Nothing went out yet: the hook still waits for the sequence's start, if that is later.
      replan(new PlanRequest(input.leadPk(), 0, sequenceStart(input), 0, notBefore, reason, true));
    } else {
      replan(
          new PlanRequest(
              input.leadPk(), nextStep, lastSentAt, lastSentDay, notBefore, reason, true));
    }
  }

  private void replan(PlanRequest request) {
    for (PlannedStep step : planning.planSteps(request).steps()) {
      plan.set(step.position(), step);
    }
  }

  private LeadOutcome finish(LeadSequenceInput input, LeadOutcome outcome) {
    status = outcome.status();
    sending.finishSequence(input.leadPk(), outcome);
    return outcome;
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  private static PlannedStep with(PlannedStep step, String status, Instant at, String reason) {
    return new PlannedStep(step.position(), step.type(), step.day(), at, status, reason);
  }
}
