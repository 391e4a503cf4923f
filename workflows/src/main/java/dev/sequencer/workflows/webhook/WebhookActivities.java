package dev.sequencer.workflows.webhook;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface WebhookActivities {

  /**
   * Attempts every delivery of the endpoint that is due at {@code nowMillis} (the workflow's time,
   * so back-off and the day of retries follow Temporal's clock), records each outcome and schedules
   * each failed one's next attempt.
   */
  DeliveryRound deliverDue(String endpointId, long nowMillis);
}
