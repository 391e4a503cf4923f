package dev.sequencer.workflows.lead;

import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
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

  /** Quick calls to the store, made inside the workflow task and retried without end. */
  private static final LocalActivityOptions STORE_CALLS =
      LocalActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(
              RetryOptions.newBuilder().setMaximumInterval(Duration.ofMinutes(1)).build())
          .build();

  private final PlanningActivities planning =
      Workflow.newLocalActivityStub(PlanningActivities.class, STORE_CALLS);

  /** Made when the run starts, with the input's send timeout. */
  private SendActivities sending;

  // Recording the end must not give up: a workflow that ended while the store still shows its lead
  // active would leave the lead, and its campaign, open for good.
  private final SendActivities finishing =
      Workflow.newActivityStub(
          SendActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMinutes(1))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofSeconds(5))
                      .setMaximumInterval(Duration.ofMinutes(10))
                      .build())
              .build());

  /**
   * Version 1 of the send path: slots reserved before the wait, failures recorded as outcomes,
   * pauses and absences shown in the store at once, no polling while paused, continue-as-new.
   */
  static final String SEND_PATH_VERSION = "durable-send-path";

  /** Version 1: a plan with generated steps has the model write them before the first wait. */
  static final String GENERATED_COPY_VERSION = "generated-copy";

  /**
   * The model's calls retry inside the activity (and a refused text is written once more); these
   * retries are for the worker or the store failing. Out of them, the steps keep their templates.
   */
  private final GenerationActivities generating =
      Workflow.newActivityStub(
          GenerationActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMinutes(15))
              // It heartbeats every few seconds while the model writes: a worker that died is
              // noticed in half a minute, not at the end of the quarter hour.
              .setHeartbeatTimeout(Duration.ofSeconds(30))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofSeconds(10))
                      .setMaximumAttempts(3)
                      .build())
              .build());

  /**
   * Recording the end in the store, as a local activity: it is a few quick writes, and as an
   * activity task it cost every lead another round trip through the server and another workflow
   * task (a fifth of a one-step sequence's work on the embedded server). Retried without end, as
   * the activity is: a lead whose end is not recorded would show as active for ever.
   */
  private final SendActivities finishingLocally =
      Workflow.newLocalActivityStub(SendActivities.class, STORE_CALLS);

  /** Version 1: the end is recorded by a local activity rather than an activity task. */
  static final String LOCAL_FINISH_VERSION = "local-finish";

  /** Version 1: a resume signalled while a send found the store paused is not missed. */
  static final String RESUME_DURING_SEND_VERSION = "resume-during-send";

  /**
   * Version 1: a send may answer that no channel of the step reaches the lead; the step is skipped
   * and the sequence goes on. The marker is recorded only where that happens, so no earlier history
   * changes.
   */
  static final String SKIPPED_STEP_VERSION = "skipped-step";

  /** Past this many events a run continues as new, carrying its state. */
  public static final int HISTORY_LIMIT = 1_000;

  private int version = Workflow.DEFAULT_VERSION;
  private LeadState status = LeadState.ACTIVE;
  private LeadEnding ending;
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

  /** Whether the campaign has a daily limit, so each step reserves a slot before it waits. */
  private boolean slotted;

  /** The planned instant the next step's slot was reserved for; a new plan reserves again. */
  private Instant slotFor;

  /** The store said paused before any signal did: wait for a signal rather than poll. */
  private boolean pausedInStore;

  /**
   * Resumes signalled to this run before the send that found the store paused; a later one ends the
   * wait. Zero in a continued run: every resume it receives came after the pause it carries.
   */
  private int resumesAtStorePause;

  @WorkflowInit
  public LeadSequenceWorkflowImpl(LeadSequenceInput input) {}

  /**
   * Sends retry with a capped backoff and a bounded number of attempts, lest a broken relay turn
   * one step into a storm; the activity itself makes every attempt idempotent, and holds the step
   * for as long as the attempt's timeout, so a shorter timeout lets a dead worker's step go sooner.
   * The timeout is not part of the commands, so replay does not depend on it.
   */
  private static SendActivities sendingWithin(Duration timeout) {
    return Workflow.newActivityStub(
        SendActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(timeout)
            .setRetryOptions(
                RetryOptions.newBuilder()
                    .setInitialInterval(Duration.ofSeconds(5))
                    .setBackoffCoefficient(2.0)
                    .setMaximumInterval(Duration.ofMinutes(10))
                    .setMaximumAttempts(12)
                    .build())
            .build());
  }

  @Override
  public LeadOutcome run(LeadSequenceInput input) {
    sending = sendingWithin(input.sendTimeoutOrDefault());
    version = Workflow.getVersion(SEND_PATH_VERSION, Workflow.DEFAULT_VERSION, 1);
    if (version == Workflow.DEFAULT_VERSION) {
      return runVersion0(input);
    }
    try {
      return runSequence(input);
    } catch (ActivityFailure failure) {
      // A send whose retries ran out, or a plan that cannot be made: the lead and its step are
      // recorded failed with the reason, so the store never shows an active lead of a closed run.
      return finish(input, new LeadOutcome(LeadEnding.FAILED, reasonOf(failure), failedPosition()));
    }
  }

  private LeadOutcome runSequence(LeadSequenceInput input) {
    String workflowId = Workflow.getInfo().getWorkflowId();
    if (input.carried() != null) {
      restore(input.carried());
    } else {
      // Enrolment plans a page of leads at once and stores their steps; a run started without a
      // plan (before enrolment made them, or elsewhere) makes its own.
      SequencePlan first =
          input.planned() != null
              ? input.planned()
              : planning.planSteps(PlanRequest.fromStart(input.leadPk(), sequenceStart(input)));
      plan = new ArrayList<>(first.steps());
      slotted = first.slotted();
      if (first.generated()
          && Workflow.getVersion(GENERATED_COPY_VERSION, Workflow.DEFAULT_VERSION, 1) >= 1) {
        try {
          generating.generateCopy(input.leadPk());
        } catch (ActivityFailure failure) {
          // Generated copy is an improvement, never a condition: the templates go out instead.
          log.warn("copy of lead {} not generated: {}", input.leadPk(), reasonOf(failure));
        }
      }
    }
    while (nextStep < plan.size()) {
      if (stop != null) {
        return finish(input, new LeadOutcome(stop.status(), stop.reason()));
      }
      if (Workflow.getInfo().getHistoryLength() > HISTORY_LIMIT
          || Workflow.getInfo().isContinueAsNewSuggested()) {
        Workflow.continueAsNew(input.continuedWith(carry()));
      }
      if (rescheduledTo != null) {
        reschedule(input);
        continue;
      }
      if (outOfOffice != null) {
        planReturn(input);
        continue;
      }
      if (pausedBySignal) {
        awaitResume(input);
        continue;
      }
      if (pausedInStore) {
        awaitSignalAfterStorePause(input);
        continue;
      }
      PlannedStep step = plan.get(nextStep);
      if (slotted && !step.scheduledAt().equals(slotFor)) {
        reserveSlot(input, workflowId, step);
        continue;
      }
      Duration wait = Duration.between(now(), step.scheduledAt());
      if (wait.compareTo(Duration.ZERO) > 0) {
        Workflow.await(
            wait,
            () -> stop != null || pausedBySignal || outOfOffice != null || rescheduledTo != null);
        continue;
      }
      int resumesBeforeSend = resumes;
      SendResult result =
          sending.sendStep(
              new SendRequest(workflowId, input.leadPk(), step.position(), step.type(), now()));
      switch (result.outcome()) {
        case SENT -> sent(input, step, result);
        case DEFERRED -> {
          log.info("step {} deferred to {}: {}", step.type(), result.retryAt(), result.reason());
          plan.set(nextStep, with(step, "scheduled", result.retryAt(), result.reason()));
          // The activity reserved the slot it deferred to, if a limit deferred it.
          slotFor = result.retryAt();
          if (step.position() == 0 || anchorOnPrevious) {
            replanAfter(input, nextStep, result.retryAt(), step.day());
          }
        }
        case PAUSED -> {
          status = LeadState.PAUSED;
          pausedInStore = true;
          // Version 1: a resume that arrived while the send found the pause ends the wait (the
          // campaign's resume signals exactly the leads whose send recorded them waiting, and the
          // send may have done so just before the resume committed).
          resumesAtStorePause =
              Workflow.getVersion(RESUME_DURING_SEND_VERSION, Workflow.DEFAULT_VERSION, 1) >= 1
                  ? resumesBeforeSend
                  : resumes;
        }
        case FAILED -> {
          plan.set(nextStep, with(step, "failed", step.scheduledAt(), result.reason()));
          return finish(
              input, new LeadOutcome(LeadEnding.FAILED, result.reason(), step.position()));
        }
        case SKIPPED -> {
          Workflow.getVersion(SKIPPED_STEP_VERSION, Workflow.DEFAULT_VERSION, 1);
          plan.set(nextStep, with(step, "skipped", step.scheduledAt(), result.reason()));
          nextStep++;
        }
        case STOPPED -> {
          return finish(input, new LeadOutcome(LeadEnding.of(result.reason()), result.reason()));
        }
      }
    }
    return finish(input, new LeadOutcome(LeadEnding.COMPLETED, null));
  }

  /** The loop as it ran before {@link #SEND_PATH_VERSION}, kept so older histories replay. */
  private LeadOutcome runVersion0(LeadSequenceInput input) {
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
          return finish(input, new LeadOutcome(LeadEnding.FAILED, result.reason()));
        }
        case STOPPED -> {
          return finish(input, new LeadOutcome(LeadEnding.of(result.reason()), result.reason()));
        }
      }
    }
    return finish(input, new LeadOutcome(LeadEnding.COMPLETED, null));
  }

  /** Takes the step's slot of the campaign's daily capacity before waiting for it. */
  private void reserveSlot(LeadSequenceInput input, String workflowId, PlannedStep step) {
    SlotGrant grant =
        planning.reserveSlot(
            new SlotRequest(workflowId, input.leadPk(), step.position(), step.scheduledAt()));
    slotFor = grant.at();
    if (!grant.at().equals(step.scheduledAt())) {
      plan.set(nextStep, with(step, "scheduled", grant.at(), grant.reason()));
      // Until a step is sent, the steps after it are planned from its planned instant.
      if (step.position() == 0 || anchorOnPrevious) {
        replanAfter(input, nextStep, grant.at(), step.day());
      }
    }
  }

  /** Plans the steps after {@code position} from that step's new instant. */
  private void replanAfter(LeadSequenceInput input, int position, Instant at, int day) {
    if (position + 1 < plan.size()) {
      replan(new PlanRequest(input.leadPk(), position + 1, at, day, null, null, anchorOnPrevious));
    }
  }

  /**
   * The store said paused (the pause committed before its signal arrived): wait for the signal that
   * follows every pause and resume, not on a timer.
   */
  private void awaitSignalAfterStorePause(LeadSequenceInput input) {
    int seen = resumesAtStorePause;
    Workflow.await(
        () ->
            pausedBySignal
                || stop != null
                || outOfOffice != null
                || rescheduledTo != null
                || resumes != seen);
    pausedInStore = false;
    if (stop == null && !pausedBySignal && resumes != seen) {
      resumeAt(input, now(), "paused");
    }
  }

  /**
   * An out-of-office reply: the remaining steps are planned from the lead's return at once, so the
   * store shows the new dates while the workflow waits for them.
   */
  private void planReturn(LeadSequenceInput input) {
    OutOfOffice absence = outOfOffice;
    outOfOffice = null;
    Instant back = planning.returnFromAbsence(input.leadPk(), absence.returnDate(), now());
    resumeAt(input, back, "out_of_office");
    status = LeadState.OUT_OF_OFFICE;
  }

  private LeadSequenceCarry carry() {
    return new LeadSequenceCarry(
        List.copyOf(plan),
        nextStep,
        pausedBySignal,
        pausedInStore,
        sequenceStart,
        lastSentAt,
        lastSentDay,
        anchorOnPrevious,
        slotFor,
        slotted);
  }

  private void restore(LeadSequenceCarry carried) {
    plan = new ArrayList<>(carried.plan());
    nextStep = carried.nextStep();
    // A signal that arrived before this run started has already set its own state.
    pausedBySignal = pausedBySignal || carried.pausedBySignal();
    pausedInStore = carried.pausedInStore();
    sequenceStart = carried.sequenceStart();
    lastSentAt = carried.lastSentAt();
    lastSentDay = carried.lastSentDay();
    anchorOnPrevious = carried.anchorOnPrevious();
    slotFor = carried.slotFor();
    slotted = true;
    status = pausedBySignal || pausedInStore ? LeadState.PAUSED : LeadState.ACTIVE;
  }

  private Integer failedPosition() {
    return nextStep < plan.size() ? plan.get(nextStep).position() : null;
  }

  private static String reasonOf(ActivityFailure failure) {
    Throwable cause = failure.getCause() == null ? failure : failure.getCause();
    String type =
        cause instanceof ApplicationFailure application ? application.getType() : "ActivityFailed";
    String message =
        cause instanceof ApplicationFailure application
            ? application.getOriginalMessage()
            : cause.getMessage();
    return "failed: " + type + (message == null ? "" : " (" + message + ")");
  }

  private int triggerEvents;
  private String lastTriggerEvent;

  @Override
  public LeadSequenceState state() {
    return new LeadSequenceState(
        status, ending, nextStep, List.copyOf(plan), triggerEvents, lastTriggerEvent);
  }

  @Override
  public void triggerEvent(String type) {
    // Only kept for the state query: the event changes nothing the sequence does, so the handler
    // issues no command and is replay-safe without a version.
    triggerEvents++;
    lastTriggerEvent = type;
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
    if (version >= 1) {
      status = LeadState.ACTIVE;
    }
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
    status = LeadState.PAUSED;
    if (version >= 1) {
      // The store shows the steps waiting on the pause, not a due date that has passed.
      planning.recordWaiting(input.leadPk(), plan.get(nextStep).position(), "paused");
      slotFor = null;
    }
    Workflow.await(() -> !pausedBySignal || stop != null);
    pausedInStore = false;
    if (stop == null) {
      resumeAt(input, now(), "paused");
    }
  }

  /** The store says paused before our signal came: wait for it, or look again in a while. */
  private void awaitStorePause(boolean asPause) {
    status = LeadState.PAUSED;
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
      status = LeadState.ACTIVE;
    }
  }

  private void awaitReturn(LeadSequenceInput input) {
    OutOfOffice absence = outOfOffice;
    outOfOffice = null;
    status = LeadState.OUT_OF_OFFICE;
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
    status = LeadState.ACTIVE;
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
    status = LeadState.ENDED;
    ending = outcome.status();
    if (version == Workflow.DEFAULT_VERSION) {
      sending.finishSequence(input.leadPk(), outcome);
    } else if (Workflow.getVersion(LOCAL_FINISH_VERSION, Workflow.DEFAULT_VERSION, 1) >= 1) {
      finishingLocally.finishSequence(input.leadPk(), outcome);
    } else {
      finishing.finishSequence(input.leadPk(), outcome);
    }
    return outcome;
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  private static PlannedStep with(PlannedStep step, String status, Instant at, String reason) {
    return new PlannedStep(step.position(), step.type(), step.day(), at, status, reason);
  }
}
