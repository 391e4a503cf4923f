package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.workflows.testserver.TimerLockLog;
import org.junit.jupiter.api.Test;

/** The embedded Temporal server keeps no log of its clock's locks, however much it runs. */
class EmbeddedTemporalTest {

  private final RunningService service = RunningService.get();

  @Test
  void theClocksLockLogStaysEmptyWhileCampaignsRun() throws Exception {
    var temporal = service.bean(EmbeddedInfrastructure.class).embeddedTemporal();
    assertThat(temporal).as("the embedded default runs its own Temporal server").isNotNull();
    String campaign = service.createOpenEmailCampaign("Lock log");
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"l-1\", \"email\": \"l1@locks.test\"},"
            + " {\"lead_id\": \"l-2\", \"email\": \"l2@locks.test\"}]");
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    ControlApiTest.await(() -> service.sentMessages(campaign), sent -> sent == 2);

    // The server's own log would hold at least the lock its constructor takes, and two entries for
    // every workflow and activity task since.
    assertThat(TimerLockLog.entries(temporal)).isZero();
  }
}
