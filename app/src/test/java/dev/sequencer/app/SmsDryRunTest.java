package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Without Twilio credentials an SMS is recorded in the dry-run outbox, visible in the API. */
class SmsDryRunTest {

  private final RunningService service = RunningService.get();

  @Test
  void smsWithoutTwilioIsRecordedAsDryRun() throws InterruptedException {
    ZoneId zone = SmsHours.zoneWithinSmsHours(Instant.now());
    String campaign = service.createOpenSmsCampaign("Dry run", "+15005550006", zone);
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"sms-1\", \"phone\": \"+14155550123\", \"first_name\": \"Kay\", \"timezone\": \""
            + zone.getId()
            + "\"}]");
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");

    JsonNode message = null;
    Instant deadline = Instant.now().plusSeconds(60);
    while (message == null && Instant.now().isBefore(deadline)) {
      JsonNode lead = service.get("/api/v1/campaigns/" + campaign + "/leads/sms-1").json();
      if (lead.get("messages") != null && lead.get("messages").size() > 0) {
        message = lead.get("messages").get(0);
      } else {
        Thread.sleep(200);
      }
    }
    assertThat(message).as("the hook was recorded").isNotNull();
    assertThat(message.get("dry_run").asBoolean()).isTrue();
    assertThat(message.get("channel").asString()).isEqualTo("sms");
    assertThat(message.get("to").asString()).isEqualTo("+14155550123");
    assertThat(message.get("body").asString()).isEqualTo("Hi Kay, quick question?");
    assertThat(message.get("segments").asInt()).isEqualTo(1);
    assertThat(message.get("provider_message_id").asString()).startsWith("dryrun-");
  }
}
