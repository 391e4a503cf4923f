package dev.sequencer.workflows.campaign;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;

public class CampaignRunWorkflowImpl implements CampaignRunWorkflow {

  /** Keeps the history small: a new run after this many enrolment rounds. */
  private static final int ROUNDS_PER_RUN = 100;

  private final EnrolmentActivities enrolment =
      Workflow.newActivityStub(
          EnrolmentActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofHours(2))
              .setHeartbeatTimeout(Duration.ofMinutes(1))
              .setRetryOptions(
                  RetryOptions.newBuilder().setMaximumInterval(Duration.ofMinutes(1)).build())
              .build());

  private boolean leadsWaiting;
  private String phase = "scheduled";
  private long enrolled;

  @WorkflowInit
  public CampaignRunWorkflowImpl(CampaignRunInput input) {
    this.enrolled = input.enrolled();
  }

  @Override
  public void run(CampaignRunInput input) {
    Instant now = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    if (input.enrolled() == 0 && input.startAt() != null && input.startAt().isAfter(now)) {
      Workflow.sleep(Duration.between(now, input.startAt()));
    }
    if (input.enrolled() == 0) {
      enrolment.markRunning(input.campaignId());
    }
    phase = "running";
    for (int round = 0; round < ROUNDS_PER_RUN; round++) {
      leadsWaiting = false;
      Instant sequenceStart = Instant.ofEpochMilli(Workflow.currentTimeMillis());
      if (input.startAt() != null && input.startAt().isAfter(sequenceStart)) {
        sequenceStart = input.startAt();
      }
      enrolled += enrolment.enrolPending(input.campaignId(), sequenceStart);
      Workflow.await(() -> leadsWaiting);
    }
    Workflow.continueAsNew(new CampaignRunInput(input.campaignId(), input.startAt(), enrolled));
  }

  @Override
  public void leadsAdded() {
    leadsWaiting = true;
  }

  @Override
  public CampaignRunState state() {
    return new CampaignRunState(phase, enrolled);
  }
}
