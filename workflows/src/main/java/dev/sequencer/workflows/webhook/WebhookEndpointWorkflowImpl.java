package dev.sequencer.workflows.webhook;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Rounds of deliveries: each attempts what is due, then the workflow sleeps until the next attempt
 * falls due or a wake-up says new events came. The back-off of each delivery lives in the store, so
 * one workflow serves any number of pending deliveries with one timer. With nothing pending for
 * {@link #IDLE} it ends; the next queued event starts it again. Every {@link #ROUNDS_PER_RUN}
 * rounds, or sooner when Temporal suggests it, it continues as new, so its history stays short.
 */
public class WebhookEndpointWorkflowImpl implements WebhookEndpointWorkflow {

  static final int ROUNDS_PER_RUN = 200;
  static final Duration IDLE = Duration.ofHours(1);

  private final WebhookActivities activities =
      Workflow.newActivityStub(
          WebhookActivities.class,
          ActivityOptions.newBuilder()
              // A round makes at most a hundred calls of ten seconds each, many at once; a worker
              // killed mid-round is noticed by its missing heartbeats (one every 3 s).
              .setStartToCloseTimeout(Duration.ofMinutes(5))
              .setHeartbeatTimeout(Duration.ofSeconds(15))
              // Only the store or the worker failing fails a round (an endpoint's failure is an
              // outcome): try again until they are back.
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofSeconds(1))
                      .setMaximumInterval(Duration.ofMinutes(1))
                      .build())
              .build());

  private boolean woken;

  @Override
  public void deliver(String endpointId) {
    // Wake-ups add to the history too: Temporal's suggestion ends a run before it grows long.
    for (int round = 0;
        round < ROUNDS_PER_RUN && !Workflow.getInfo().isContinueAsNewSuggested();
        round++) {
      woken = false;
      DeliveryRound done = activities.deliverDue(endpointId, Workflow.currentTimeMillis());
      if (done.closed()) {
        return;
      }
      if (done.more()) {
        continue;
      }
      if (done.nextDueAtMillis() == null) {
        if (!Workflow.await(IDLE, () -> woken)) {
          return;
        }
      } else {
        long wait = done.nextDueAtMillis() - Workflow.currentTimeMillis();
        if (wait > 0) {
          Workflow.await(Duration.ofMillis(wait), () -> woken);
        }
      }
    }
    Workflow.continueAsNew(endpointId);
  }

  @Override
  public void wake() {
    woken = true;
  }
}
