package dev.sequencer.workflows.campaign;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * A campaign run: enrols its leads at once (so each lead's plan is visible even before a future
 * start), marks the campaign running when its start comes, enrols leads added later, and passes
 * resume and cancel on to its leads through a batching activity, so the workflow itself never holds
 * one pending signal per lead. Since {@link #BACKGROUND_BROADCASTS_VERSION} a resume is passed on
 * in the background while the loop goes on enrolling; the store, not the signal, is what a lead's
 * send obeys, so a lead enrolled meanwhile misses nothing.
 */
public class CampaignRunWorkflowImpl implements CampaignRunWorkflow {

  /** Keeps the history small: a new run after this many rounds of work. */
  static final int ROUNDS_PER_RUN = 100;

  private final EnrolmentActivities enrolment =
      Workflow.newActivityStub(
          EnrolmentActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofHours(2))
              .setHeartbeatTimeout(Duration.ofMinutes(1))
              .setRetryOptions(
                  RetryOptions.newBuilder().setMaximumInterval(Duration.ofMinutes(1)).build())
              .build());

  private final AnalysisActivities analysis =
      Workflow.newActivityStub(
          AnalysisActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMinutes(5))
              .setRetryOptions(
                  RetryOptions.newBuilder().setMaximumInterval(Duration.ofMinutes(5)).build())
              .build());

  /** Version 1: broadcasts other than the final cancel run beside the loop. */
  static final String BACKGROUND_BROADCASTS_VERSION = "background-broadcasts";

  /**
   * Version 1: commands that arrive while the run waits for its last broadcasts, before continuing
   * as new, are passed on too; before, the new run started without them.
   */
  static final String DRAIN_BEFORE_CONTINUE_VERSION = "drain-before-continue";

  private final Queue<LeadCommand> broadcasts = new ArrayDeque<>();

  /** Broadcasts under way in the background; a new run starts only after they end. */
  private final List<Promise<Void>> underWay = new ArrayList<>();

  private boolean inBackground;
  private String winner;

  /** How often a running campaign looks whether all of its leads have finished. */
  static final Duration COMPLETION_CHECK = Duration.ofHours(1);

  private boolean leadsWaiting;
  private Instant startAt;
  private Instant rescheduledTo;
  private boolean cancelled;
  private String phase = "scheduled";
  private long enrolled;

  @WorkflowInit
  public CampaignRunWorkflowImpl(CampaignRunInput input) {
    this.enrolled = input.enrolled();
    this.leadsWaiting = true;
  }

  @Override
  public void run(CampaignRunInput input) {
    inBackground =
        Workflow.getVersion(BACKGROUND_BROADCASTS_VERSION, Workflow.DEFAULT_VERSION, 1) >= 1;
    if (input.recurring()) {
      drip(input);
      return;
    }
    startAt = input.startAt();
    boolean started = !startAt.isAfter(now());
    if (started) {
      enrolment.markRunning(input.campaignId());
      phase = "running";
    }
    // Version 1 looks every hour whether every lead has finished, and then completes the campaign.
    boolean checksCompletion =
        Workflow.getVersion("completion-check", Workflow.DEFAULT_VERSION, 1) >= 1;
    // Version 1 also runs the auto-winner check, in an activity, with each round.
    boolean checksWinner = Workflow.getVersion("auto-winner", Workflow.DEFAULT_VERSION, 1) >= 1;
    // Commands that arrived during the last round are passed on before continuing as new: the new
    // run would not know about them.
    for (int round = 0; round < ROUNDS_PER_RUN || !broadcasts.isEmpty(); round++) {
      boolean signalled;
      if (!started) {
        signalled =
            Workflow.await(
                Duration.between(now(), startAt),
                () -> leadsWaiting || cancelled || !broadcasts.isEmpty() || rescheduledTo != null);
      } else if (checksCompletion) {
        signalled =
            Workflow.await(
                COMPLETION_CHECK, () -> leadsWaiting || cancelled || !broadcasts.isEmpty());
      } else {
        Workflow.await(() -> leadsWaiting || cancelled || !broadcasts.isEmpty());
        signalled = true;
      }
      if (rescheduledTo != null) {
        if (!started) {
          startAt = rescheduledTo;
          broadcasts.add(
              new LeadCommand(LeadCommand.Kind.RESCHEDULE, "campaign rescheduled", startAt));
        }
        rescheduledTo = null;
      }
      if (!broadcasts.isEmpty()) {
        if (passOn(input.campaignId(), broadcasts.poll())) {
          phase = "cancelled";
          return;
        }
        continue;
      }
      if (!started && !startAt.isAfter(now())) {
        started = true;
        enrolment.markRunning(input.campaignId());
        phase = "running";
      }
      if (started && winner == null && checksWinner) {
        // After each batch and every hour: has the A/B test found its winner?
        winner = analysis.checkAutoWinner(input.campaignId());
      }
      if (leadsWaiting) {
        leadsWaiting = false;
        Instant sequenceStart = startAt.isAfter(now()) ? startAt : now();
        enrolled += enrolment.enrolPending(input.campaignId(), sequenceStart);
      } else if (started
          && !signalled
          && checksCompletion
          && enrolment.completeIfDone(input.campaignId())) {
        phase = "completed";
        Promise.allOf(underWay).get();
        return;
      }
    }
    if (drainedToCancel(input.campaignId())) {
      return;
    }
    Workflow.continueAsNew(new CampaignRunInput(input.campaignId(), startAt, enrolled));
  }

  /**
   * A recurring campaign: at each occurrence of its cron, a run enrols the leads added since the
   * previous one, with the occurrence as their sequence start. A durable timer loop rather than a
   * Temporal Schedule, because the Java test server behind the embedded default has no Schedules.
   */
  private void drip(CampaignRunInput input) {
    Instant after = input.startAt().minusMillis(1);
    for (int round = 0; round < ROUNDS_PER_RUN || !broadcasts.isEmpty(); round++) {
      Instant next = enrolment.nextOccurrence(input.campaignId(), after);
      if (next == null) {
        phase = "no further runs";
        Promise.allOf(underWay).get();
        return;
      }
      Workflow.await(Duration.between(now(), next), () -> cancelled || !broadcasts.isEmpty());
      if (!broadcasts.isEmpty()) {
        if (passOn(input.campaignId(), broadcasts.poll())) {
          phase = "cancelled";
          return;
        }
        continue;
      }
      if (now().isBefore(next)) {
        continue;
      }
      if (!"running".equals(phase)) {
        enrolment.markRunning(input.campaignId());
        phase = "running";
      }
      long added = enrolment.enrolPending(input.campaignId(), next);
      enrolled += added;
      enrolment.recordRun(input.campaignId(), next, added);
      after = next;
    }
    if (drainedToCancel(input.campaignId())) {
      return;
    }
    Workflow.continueAsNew(
        new CampaignRunInput(input.campaignId(), after.plusMillis(1), enrolled, true));
  }

  /**
   * Waits for the broadcasts under way before the run continues as new, passing on the commands
   * that arrive meanwhile (the broadcasts may take a while; a cancel may come in that time).
   *
   * @return whether a cancel among them ended the run
   */
  private boolean drainedToCancel(String campaignId) {
    while (true) {
      Promise.allOf(underWay).get();
      if (broadcasts.isEmpty()
          || Workflow.getVersion(DRAIN_BEFORE_CONTINUE_VERSION, Workflow.DEFAULT_VERSION, 1)
              == Workflow.DEFAULT_VERSION) {
        return false;
      }
      if (passOn(campaignId, broadcasts.poll())) {
        phase = "cancelled";
        return true;
      }
    }
  }

  /**
   * Passes a command on to the leads: a cancel after the broadcasts under way, and in the loop; the
   * others in the background (before {@link #BACKGROUND_BROADCASTS_VERSION}, in the loop too).
   *
   * @return whether the command ends the run
   */
  private boolean passOn(String campaignId, LeadCommand command) {
    boolean ends = command.kind() == LeadCommand.Kind.STOP;
    if (inBackground && !ends) {
      underWay.removeIf(Promise::isCompleted);
      underWay.add(Async.procedure(enrolment::broadcast, campaignId, command));
      return false;
    }
    if (inBackground) {
      Promise.allOf(underWay).get();
    }
    enrolment.broadcast(campaignId, command);
    return ends;
  }

  @Override
  public void reschedule(Instant startAt) {
    rescheduledTo = startAt;
  }

  @Override
  public void leadsAdded() {
    leadsWaiting = true;
  }

  @Override
  public void pause() {
    broadcasts.add(new LeadCommand(LeadCommand.Kind.PAUSE, "campaign paused"));
  }

  @Override
  public void resume() {
    broadcasts.add(new LeadCommand(LeadCommand.Kind.RESUME, "campaign resumed"));
  }

  @Override
  public void cancel(String reason) {
    cancelled = true;
    broadcasts.add(new LeadCommand(LeadCommand.Kind.STOP, reason));
  }

  @Override
  public CampaignRunState state() {
    return new CampaignRunState(phase, enrolled);
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
