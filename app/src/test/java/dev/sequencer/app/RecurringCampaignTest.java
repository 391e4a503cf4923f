package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A recurring campaign on a service of its own with a time-skipping Temporal server: a daily cron
 * always has a next timer, so the server's clock races ahead, which would disturb other tests.
 */
class RecurringCampaignTest {

  private static RunningService service;

  @BeforeAll
  static void start() {
    service = RunningService.start("--sequencer.embedded.temporal-time-skipping=true");
  }

  @AfterAll
  static void stop() {
    service.context.close();
  }

  @Test
  void aRecurringCampaignEnrolsNewLeadsAtEachOccurrence() throws Exception {
    var created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "Standing drip", "channel": "email", "sender": {"email": "ada@acme.test"},
             "steps": [{"type": "hook", "day": 0, "subject": "Hi", "body": "Hello"}],
             "schedule": {"timezone": "UTC", "holiday_calendar": null, "recurrence": "0 9 * * *",
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
            """);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String campaign = created.json().get("campaign_id").asString();
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"drip-1\", \"email\": \"drip1@example.com\"},"
            + " {\"lead_id\": \"drip-2\", \"email\": \"drip2@example.com\"}]");
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");

    JsonNode first =
        ControlApiTest.await(
            () -> service.get("/api/v1/campaigns/" + campaign).json().get("runs"),
            runs -> runs.size() >= 1);
    assertThat(first.get(0).get("enrolled").asLong()).isEqualTo(2);
    assertThat(Instant.parse(first.get(0).get("started_at").asString()).toString())
        .endsWith("T09:00:00Z");
    ControlApiTest.await(
        () -> service.get("/api/v1/campaigns/" + campaign + "/leads/drip-1").json(),
        l -> "sent".equals(l.get("steps").get(0).get("status").asString()));

    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"drip-3\", \"email\": \"drip3@example.com\"}]");
    JsonNode runs =
        ControlApiTest.await(
            () -> service.get("/api/v1/campaigns/" + campaign).json().get("runs"),
            r -> {
              for (JsonNode run : r) {
                if (run.get("run").asInt() > 1 && run.get("enrolled").asLong() == 1) {
                  return true;
                }
              }
              return false;
            });
    // Every run is a day apart, at 09:00 in the campaign's zone.
    for (int i = 1; i < runs.size(); i++) {
      assertThat(
              Duration.between(
                  Instant.parse(runs.get(i - 1).get("started_at").asString()),
                  Instant.parse(runs.get(i).get("started_at").asString())))
          .isEqualTo(Duration.ofDays(1));
    }
  }
}
