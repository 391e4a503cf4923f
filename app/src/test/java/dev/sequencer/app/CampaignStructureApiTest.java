package dev.sequencer.app;

import static dev.sequencer.app.CampaignApiTest.fields;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A started campaign's structure is frozen; copy and name change in new revisions. */
class CampaignStructureApiTest {

  private static final String STEPS =
      """
      [{"type": "hook", "day": 0, "subject": "Hook", "body": "Hi {{first_name|there}}"},
       {"type": "proof", "day": 3, "subject": "Proof", "body": "Proof"},
       {"type": "fomo", "day": 7, "subject": "Last call", "body": "Last call"}]""";

  private static final String VARIANTS =
      """
      [{"name": "B", "allocation_percentage": 30,
        "steps": [{"type": "hook", "subject": "B hook"},
                  {"type": "proof", "day": 4, "body": "B proof"}]}]""";

  private final RunningService service = RunningService.get();

  @Test
  void eachStructuralFieldOfAStartedCampaignIsFrozenAndNamedIn409() {
    String id = startedInTheFuture(create("Frozen"));

    assertFrozen(
        id, "{\"steps\": " + STEPS.replace("\"day\": 3", "\"day\": 4") + "}", "steps[1].day");
    assertFrozen(
        id,
        """
        {"steps": [{"type": "hook", "day": 0, "subject": "Hook", "body": "Hi"},
                   {"type": "proof", "day": 3, "subject": "Proof", "body": "Proof"}]}
        """,
        "steps");
    assertFrozen(
        id,
        "{\"variants\": "
            + VARIANTS.replace("\"allocation_percentage\": 30", "\"allocation_percentage\": 40")
            + "}",
        "variants[0].allocation_percentage");
    assertFrozen(
        id,
        "{\"variants\": " + VARIANTS.replace("\"day\": 4", "\"day\": 5") + "}",
        "variants[0].steps[1].day");
    assertFrozen(id, "{\"variants\": null}", "variants");
    assertFrozen(
        id,
        "{\"variants\": " + VARIANTS.replace("\"name\": \"B\"", "\"name\": \"C\"") + "}",
        "variants");
    assertFrozen(id, "{\"holdout_percentage\": 5}", "holdout_percentage");
    assertFrozen(id, "{\"schedule\": {\"timezone\": \"Europe/Berlin\"}}", "schedule.timezone");
    assertFrozen(
        id,
        "{\"schedule\": {\"send_window\": {\"start\": \"09:00\", \"end\": \"17:00\"}}}",
        "schedule.send_window");
    assertFrozen(
        id, "{\"schedule\": {\"business_days\": [\"MON\", \"TUE\"]}}", "schedule.business_days");
    assertFrozen(id, "{\"schedule\": {\"holiday_calendar\": \"US\"}}", "schedule.holiday_calendar");
    assertFrozen(
        id, "{\"schedule\": {\"blackout_dates\": [\"2031-01-01\"]}}", "schedule.blackout_dates");
    assertFrozen(id, "{\"schedule\": {\"recurrence\": \"0 9 * * MON\"}}", "schedule.recurrence");
    // A valid switch to SMS (no subjects, a phone): refused for the channel, not for its input.
    assertFrozen(
        id,
        """
        {"channel": "sms", "sender": {"phone": "+15005550006"},
         "steps": [{"type": "hook", "day": 0, "body": "Hi"}, {"type": "proof", "day": 3, "body": "P"},
                   {"type": "fomo", "day": 7, "body": "F"}],
         "variants": [{"name": "B", "allocation_percentage": 30,
                       "steps": [{"type": "proof", "day": 4, "body": "B proof"}]}],
         "schedule": {"send_window": {"start": "08:00", "end": "21:00"}}}
        """,
        "channel");

    JsonNode unchanged = service.get("/api/v1/campaigns/" + id).json();
    assertThat(unchanged.get("revision").asInt()).isEqualTo(1);
    assertThat(unchanged.get("steps").get(1).get("day").asInt()).isEqualTo(3);
    assertThat(unchanged.get("schedule").get("timezone").asString()).isEqualTo("UTC");
  }

  @Test
  void theTypesOfAStartedCampaignsStepsAreFrozen() {
    var created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "Two steps", "channel": "email", "sender": {"email": "ada@acme.test"},
             "steps": [{"type": "hook", "day": 0, "subject": "H", "body": "H"},
                       {"type": "proof", "day": 3, "subject": "P", "body": "P"}]}
            """);
    String id = startedInTheFuture(created.json().get("campaign_id").asString());

    assertFrozen(
        id,
        """
        {"steps": [{"type": "hook", "day": 0, "subject": "H", "body": "H"},
                   {"type": "fomo", "day": 3, "subject": "P", "body": "P"}]}
        """,
        "steps[1].type");
  }

  @Test
  void copyAndNameOfAStartedCampaignChangeInNewRevisions() {
    String id = startedInTheFuture(create("Copy"));

    var copy =
        service.patch(
            "/api/v1/campaigns/" + id,
            "{\"name\": \"Copy v2\", \"steps\": "
                + STEPS.replace("\"subject\": \"Hook\"", "\"subject\": \"A better hook\"")
                + "}");
    assertThat(copy.status()).as(copy.body()).isEqualTo(200);
    assertThat(copy.json().get("revision").asInt()).isEqualTo(2);
    assertThat(copy.json().get("name").asString()).isEqualTo("Copy v2");
    assertThat(copy.json().get("steps").get(0).get("subject").asString())
        .isEqualTo("A better hook");

    // A variant's copy, and a new override that only changes copy.
    var variantCopy =
        service.patch(
            "/api/v1/campaigns/" + id,
            "{\"variants\": "
                + VARIANTS
                    .replace("B hook\"}", "B hook v2\"}")
                    .replace(
                        "\"body\": \"B proof\"}",
                        "\"body\": \"B proof\"}, {\"type\": \"fomo\", \"body\": \"B fomo\"}")
                + "}");
    assertThat(variantCopy.status()).as(variantCopy.body()).isEqualTo(200);
    assertThat(variantCopy.json().get("revision").asInt()).isEqualTo(3);
    JsonNode b = variantCopy.json().get("variants").get(0).get("steps");
    assertThat(b.get(0).get("subject").asString()).isEqualTo("B hook v2");
    assertThat(b.get(2).get("body").asString()).isEqualTo("B fomo");
    assertThat(b.get(2).get("day").asInt()).isEqualTo(7);

    // The same values again, spelt differently where the API allows it: nothing changes.
    var same =
        service.patch(
            "/api/v1/campaigns/" + id,
            """
            {"name": "Copy v2", "holdout_percentage": 10, "channel": "email",
             "schedule": {"timezone": "UTC", "business_days": ["SUN","SAT","FRI","THU","WED","TUE","MON"],
                          "holiday_calendar": null, "blackout_dates": ["2030-12-24"],
                          "send_window": {"start": "06:00", "end": "22:00"}}}
            """);
    assertThat(same.status()).as(same.body()).isEqualTo(200);
    assertThat(same.json().get("revision").asInt()).isEqualTo(3);

    JsonNode shown = service.get("/api/v1/campaigns/" + id).json();
    assertThat(shown.get("revision").asInt()).isEqualTo(3);
    assertThat(shown.get("status").asString()).isEqualTo("scheduled");
  }

  @Test
  void aDraftChangesInEveryPartAndAnEndedCampaignInNone() {
    String id = create("Draft");

    var moved =
        service.patch(
            "/api/v1/campaigns/" + id,
            "{\"schedule\": {\"timezone\": \"Europe/Berlin\"}, \"holdout_percentage\": 0}");
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    assertThat(moved.json().get("revision").asInt()).isEqualTo(2);
    var fewer = service.patch("/api/v1/campaigns/" + id, "{\"variants\": null}");
    assertThat(fewer.json().get("revision").asInt()).isEqualTo(3);
    assertThat(fewer.json().get("variants").size()).isZero();

    assertThat(service.post("/api/v1/campaigns/" + id + "/cancel", "{}").status()).isEqualTo(202);
    var late = service.patch("/api/v1/campaigns/" + id, "{\"name\": \"Too late\"}");
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.contentType()).startsWith("application/problem+json");
    assertThat(late.json().get("detail").asString()).contains("cancelled");
  }

  private String create(String name) {
    var created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "%s", "channel": "email", "sender": {"email": "ada@acme.test", "name": "Ada"},
             "steps": %s,
             "variants": %s,
             "holdout_percentage": 10,
             "schedule": {"timezone": "UTC", "send_window": {"start": "06:00", "end": "22:00"},
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"],
                          "holiday_calendar": null, "blackout_dates": ["2030-12-24"]}}
            """
                .formatted(name, STEPS, VARIANTS));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("campaign_id").asString();
  }

  /** Started with a start tomorrow: scheduled, its run waiting, nothing sent. */
  private String startedInTheFuture(String id) {
    Instant tomorrow = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    var started =
        service.post("/api/v1/campaigns/" + id + "/start", "{\"start_at\": \"" + tomorrow + "\"}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    return id;
  }

  private void assertFrozen(String id, String patch, String field) {
    var response = service.patch("/api/v1/campaigns/" + id, patch);
    assertThat(response.status()).as(patch + " -> " + response.body()).isEqualTo(409);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().get("detail").asString()).as(response.body()).contains(field);
    assertThat(fields(response.json())).as(response.body()).contains(field);
  }
}
