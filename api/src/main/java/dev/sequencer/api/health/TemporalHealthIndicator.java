package dev.sequencer.api.health;

import io.temporal.serviceclient.WorkflowServiceStubs;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/** {@code /actuator/health} is UP only when Temporal's frontend answers its health check. */
@Component("temporal")
class TemporalHealthIndicator extends AbstractHealthIndicator {

  private final WorkflowServiceStubs stubs;

  TemporalHealthIndicator(WorkflowServiceStubs stubs) {
    super("Temporal health check failed");
    this.stubs = stubs;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    var response = stubs.healthCheck();
    if (response.getStatus().getNumber() == 1) {
      builder.up().withDetail("target", stubs.getOptions().getTarget());
    } else {
      builder.down().withDetail("status", response.getStatus().name());
    }
  }
}
