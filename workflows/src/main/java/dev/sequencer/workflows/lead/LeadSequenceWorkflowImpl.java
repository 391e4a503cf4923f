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

public class LeadSequenceWorkflowImpl implements LeadSequenceWorkflow {

  private static final Logger log = Workflow.getLogger(LeadSequenceWorkflowImpl.class);

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

  @WorkflowInit
  public LeadSequenceWorkflowImpl(LeadSequenceInput input) {}

  @Override
  public LeadOutcome run(LeadSequenceInput input) {
    String workflowId = Workflow.getInfo().getWorkflowId();
    plan =
        new ArrayList<>(
            planning
                .planSteps(PlanRequest.fromStart(input.leadPk(), input.sequenceStart()))
                .steps());
    while (nextStep < plan.size()) {
      PlannedStep step = plan.get(nextStep);
      sleepUntil(step.scheduledAt());
      SendResult result =
          sending.sendStep(
              new SendRequest(workflowId, input.leadPk(), step.position(), step.type()));
      switch (result.outcome()) {
        case SENT -> {
          plan.set(nextStep, withStatus(step, "sent", step.scheduledAt(), null));
          nextStep++;
          if (nextStep < plan.size() && step.position() == 0) {
            // Later steps count their business days from the day the hook actually went out.
            replan(input.leadPk(), nextStep, result.sentAt(), step.day());
          }
        }
        case DEFERRED -> {
          log.info("step {} deferred to {}: {}", step.type(), result.retryAt(), result.reason());
          plan.set(nextStep, withStatus(step, "scheduled", result.retryAt(), result.reason()));
        }
        case FAILED -> {
          plan.set(nextStep, withStatus(step, "failed", step.scheduledAt(), result.reason()));
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

  private void replan(long leadPk, int fromPosition, Instant anchor, int anchorDay) {
    List<PlannedStep> later =
        planning.planSteps(new PlanRequest(leadPk, fromPosition, anchor, anchorDay)).steps();
    for (PlannedStep step : later) {
      plan.set(step.position(), step);
    }
  }

  private LeadOutcome finish(LeadSequenceInput input, LeadOutcome outcome) {
    status = outcome.status();
    sending.finishSequence(input.leadPk(), outcome);
    return outcome;
  }

  private static void sleepUntil(Instant at) {
    Duration wait = Duration.between(Instant.ofEpochMilli(Workflow.currentTimeMillis()), at);
    if (!wait.isNegative() && !wait.isZero()) {
      Workflow.sleep(wait);
    }
  }

  private static PlannedStep withStatus(
      PlannedStep step, String status, Instant scheduledAt, String reason) {
    return new PlannedStep(step.position(), step.type(), step.day(), scheduledAt, status, reason);
  }
}
