package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class CampaignApiTest {

  private final RunningService service = RunningService.get();

  @Test
  void createFillsInTheDefaults() {
    var created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "Defaults", "channel": "email", "sender": {"email": "Ada@Acme.test"}}
            """);
    assertThat(created.status()).isEqualTo(201);
    JsonNode c = created.json();
    assertThat(c.get("campaign_id").asString()).startsWith("cmp_");
    assertThat(c.get("status").asString()).isEqualTo("draft");
    assertThat(c.get("revision").asInt()).isEqualTo(1);
    assertThat(c.get("sender").get("email").asString()).isEqualTo("ada@acme.test");
    assertThat(types(c.get("steps"))).containsExactly("hook", "proof", "fomo");
    assertThat(c.get("steps").findValuesAsString("day")).containsExactly("0", "3", "7");
    assertThat(c.get("steps").get(1).get("day").asInt()).isEqualTo(3);
    assertThat(c.get("steps").get(2).get("day").asInt()).isEqualTo(7);
    JsonNode schedule = c.get("schedule");
    assertThat(schedule.get("holiday_calendar").asString()).isEqualTo("US");
    assertThat(schedule.get("business_days").toString())
        .isEqualTo("[\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\"]");
    assertThat(schedule.get("send_window").isNull()).isTrue();
    assertThat(c.get("limits").get("frequency_cap_days").asInt()).isEqualTo(7);
    assertThat(c.get("attribution_window_days").asInt()).isEqualTo(7);
    assertThat(c.get("stop_on_reply").asBoolean()).isTrue();
    assertThat(c.get("stop_scope").asString()).isEqualTo("lead");
    assertThat(c.get("auto_winner").get("confidence").asDouble()).isEqualTo(0.95);
    assertThat(c.get("counts").get("pending").asLong()).isZero();
    assertThat(created.body()).doesNotContain("\"campaignId\"");

    var fetched = service.get("/api/v1/campaigns/" + c.get("campaign_id").asString());
    assertThat(fetched.status()).isEqualTo(200);
    assertThat(fetched.json().get("name").asString()).isEqualTo("Defaults");
  }

  @Test
  void smsCampaignsGetTheQuietHoursWindowAndSegmentCounts() {
    var created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "Texts", "channel": "sms", "sender": {"phone": "+15005550006"},
             "steps": [{"type": "hook", "day": 0, "body": "Hi {{first_name|there}} \u2014 caf\u00e9?"}],
             "schedule": {"timezone": "America/New_York"}}
            """);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode c = created.json();
    assertThat(c.get("schedule").get("send_window").get("start").asString()).isEqualTo("08:00");
    assertThat(c.get("schedule").get("send_window").get("end").asString()).isEqualTo("21:00");
    assertThat(c.get("steps").get(0).get("segments").asInt()).isEqualTo(1);
    assertThat(c.get("steps").get(0).get("encoding").asString()).isEqualTo("ucs2");
  }

  @Test
  void smsOutsideQuietHoursIsRejected() {
    var response =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "Late texts", "channel": "sms", "sender": {"phone": "+15005550006"},
             "schedule": {"send_window": {"start": "07:30", "end": "22:00"}}}
            """);
    assertInvalid(response, "schedule.send_window");
  }

  @Test
  void eachValidationErrorNamesItsField() {
    var response =
        service.post(
            "/api/v1/campaigns",
            """
            {"channel": "fax", "sender": {"email": "not an address"},
             "steps": [{"type": "hook", "day": 0, "subject": "Hi {{frist_name}}", "body": "x"},
                       {"type": "proof", "day": 0, "subject": "s", "body": "{{#oops}}"}],
             "variants": [{"name": "B", "allocation_percentage": 120}],
             "holdout_percentage": 50,
             "schedule": {"timezone": "Mars/Olympus", "holiday_calendar": "XX",
                          "business_days": ["FUNDAY"], "blackout_dates": ["tomorrow"],
                          "send_window": {"start": "9am", "end": "17:00"},
                          "recurrence": "every monday"},
             "limits": {"daily_limit": 0, "min_spacing_seconds": -5},
             "stop_scope": "planet"}
            """);
    assertThat(response.status()).isEqualTo(400);
    assertThat(fields(response.json()))
        .contains(
            "name",
            "channel",
            "sender.email",
            "steps[0].subject",
            "steps[1].day",
            "steps[1].body",
            "variants[0].allocation_percentage",
            "holdout_percentage",
            "schedule.timezone",
            "schedule.holiday_calendar",
            "schedule.business_days[0]",
            "schedule.blackout_dates[0]",
            "schedule.send_window.start",
            "schedule.recurrence",
            "limits.daily_limit",
            "limits.min_spacing_seconds",
            "stop_scope");
  }

  @Test
  void onlyTheHookNeedsASubjectLaterEmailStepsReplyInItsThread() {
    var refused =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "No hook subject", "channel": "email", "sender": {"email": "ada@acme.test"},
             "steps": [{"type": "hook", "day": 0, "body": "Hi"},
                       {"type": "proof", "day": 3, "body": "Proof"}]}
            """);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(fields(refused.json())).containsExactly("steps[0].subject");
    var accepted =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "Threaded follow-up", "channel": "email", "sender": {"email": "ada@acme.test"},
             "steps": [{"type": "hook", "day": 0, "subject": "Idea", "body": "Hi"},
                       {"type": "proof", "day": 3, "subject": "  ", "body": "Proof"}]}
            """);
    assertThat(accepted.status()).isEqualTo(201);
    assertThat(accepted.json().get("steps").get(1).get("subject").isNull()).isTrue();
  }

  @Test
  void malformedJsonWrongTypesAndUnknownFieldsAre400AndChangeNothing() {
    long before = campaignCount();
    assertInvalid(service.post("/api/v1/campaigns", "{\"name\": \"x\", "), "body");
    assertInvalid(
        service.post(
            "/api/v1/campaigns",
            "{\"name\": \"x\", \"channel\": \"email\", \"sender\": {\"email\": \"a@b.test\"},"
                + " \"holdout_percentage\": \"ten\"}"),
        "holdout_percentage");
    assertInvalid(
        service.post(
            "/api/v1/campaigns",
            "{\"name\": \"x\", \"channel\": \"email\", \"sender\": {\"email\": \"a@b.test\"},"
                + " \"steps\": [{\"type\": \"hook\", \"day\": 0, \"subject\": \"s\", \"body\": \"b\","
                + " \"colour\": \"red\"}]}"),
        "steps[0].colour");
    assertInvalid(service.post("/api/v1/campaigns", "[1, 2]"), "body");
    assertInvalid(service.post("/api/v1/campaigns", ""), "body");
    assertThat(campaignCount()).isEqualTo(before);
  }

  @Test
  void oversizedBodiesGet413() {
    String huge = "{\"name\": \"" + "x".repeat(6 * 1024 * 1024) + "\"}";
    var response = service.post("/api/v1/campaigns", huge);
    assertThat(response.status()).isEqualTo(413);
    assertThat(response.contentType()).startsWith("application/problem+json");
  }

  @Test
  void invalidAndUnknownIds() {
    assertThat(service.get("/api/v1/campaigns/cmp_doesnotexist").status()).isEqualTo(404);
    assertInvalid(service.get("/api/v1/campaigns/%20bad%20id"), "id");
    assertInvalid(service.get("/api/v1/campaigns?limit=100000"), "limit");
    assertInvalid(service.get("/api/v1/campaigns?limit=ten"), "limit");
    assertInvalid(service.get("/api/v1/campaigns?status=sleeping"), "status");
  }

  @Test
  void listFiltersAndPages() {
    for (int i = 0; i < 3; i++) {
      service.createOpenEmailCampaign("Paged " + i);
    }
    var page = service.get("/api/v1/campaigns?status=draft&limit=2&offset=0").json();
    assertThat(page.get("campaigns").size()).isEqualTo(2);
    assertThat(page.get("limit").asInt()).isEqualTo(2);
    assertThat(page.get("total").asLong()).isGreaterThanOrEqualTo(3);
    assertThat(page.get("has_more").asBoolean()).isTrue();
    for (JsonNode c : page.get("campaigns")) {
      assertThat(c.get("status").asString()).isEqualTo("draft");
    }
    // Other tests of this service cancel campaigns of their own.
    var cancelled = service.get("/api/v1/campaigns?status=cancelled&limit=500").json();
    for (JsonNode c : cancelled.get("campaigns")) {
      assertThat(c.get("status").asString()).isEqualTo("cancelled");
      assertThat(c.get("name").asString()).doesNotStartWith("Paged ");
    }
  }

  @Test
  void patchChangesEverythingWhileDraftAndOnlyCopyAndNameAfterStart() {
    String id = service.createOpenEmailCampaign("Patchable");
    var patched =
        service.patch(
            "/api/v1/campaigns/" + id,
            "{\"name\": \"Patched\", \"limits\": {\"daily_limit\": 50, \"min_spacing_seconds\": 120},"
                + " \"schedule\": {\"timezone\": \"Europe/Berlin\"}}");
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json().get("name").asString()).isEqualTo("Patched");
    assertThat(patched.json().get("limits").get("daily_limit").asInt()).isEqualTo(50);
    assertThat(patched.json().get("limits").get("min_spacing_seconds").asInt()).isEqualTo(120);
    assertThat(patched.json().get("schedule").get("timezone").asString())
        .isEqualTo("Europe/Berlin");
    // Untouched parts survive the merge.
    assertThat(patched.json().get("schedule").get("business_days").size()).isEqualTo(7);
    assertThat(patched.json().get("steps").get(0).get("subject").asString())
        .isEqualTo("Quick idea for {{company|your team}}");

    assertInvalid(service.patch("/api/v1/campaigns/" + id, "{\"channel\": \"pigeon\"}"), "channel");
    assertThat(service.get("/api/v1/campaigns/" + id).json().get("channel").asString())
        .isEqualTo("email");

    assertThat(service.post("/api/v1/campaigns/" + id + "/start", "{}").status()).isEqualTo(202);
    var afterStart = service.get("/api/v1/campaigns/" + id).json().get("status").asString();
    assertThat(afterStart).isIn("scheduled", "running");
    var renamed = service.patch("/api/v1/campaigns/" + id, "{\"name\": \"Still a name\"}");
    assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
    assertThat(renamed.json().get("name").asString()).isEqualTo("Still a name");
    var moved = service.patch("/api/v1/campaigns/" + id, "{\"schedule\": {\"timezone\": \"UTC\"}}");
    assertThat(moved.status()).as(moved.body()).isEqualTo(409);
    assertThat(moved.json().get("detail").asString()).contains("schedule.timezone");
    assertThat(service.post("/api/v1/campaigns/" + id + "/start", "{}").status()).isEqualTo(409);
  }

  @Test
  void cloneCopiesTheDefinitionAsANewDraft() {
    String id = service.createOpenEmailCampaign("Original");
    var copy = service.post("/api/v1/campaigns/" + id + "/clone", "{\"name\": \"Copy\"}");
    assertThat(copy.status()).isEqualTo(201);
    assertThat(copy.json().get("campaign_id").asString()).isNotEqualTo(id);
    assertThat(copy.json().get("name").asString()).isEqualTo("Copy");
    assertThat(copy.json().get("status").asString()).isEqualTo("draft");
    assertThat(copy.json().get("steps").toString())
        .isEqualTo(service.get("/api/v1/campaigns/" + id).json().get("steps").toString());
  }

  @Test
  void variantsOverrideStepsByType() {
    var created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "AB", "channel": "email", "sender": {"email": "ada@acme.test"},
             "variants": [{"name": "B", "allocation_percentage": 30,
                           "steps": [{"type": "hook", "subject": "Other subject"}]}],
             "holdout_percentage": 10}
            """);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode b = created.json().get("variants").get(0);
    assertThat(b.get("name").asString()).isEqualTo("B");
    assertThat(b.get("allocation_percentage").asInt()).isEqualTo(30);
    assertThat(b.get("steps").get(0).get("subject").asString()).isEqualTo("Other subject");
    assertThat(b.get("steps").get(1).get("subject").asString())
        .isEqualTo(created.json().get("steps").get(1).get("subject").asString());
  }

  private long campaignCount() {
    return service
        .bean(JdbcClient.class)
        .sql("select count(*) from campaigns")
        .query(Long.class)
        .single();
  }

  static void assertInvalid(RunningService.Response response, String field) {
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(fields(response.json())).as(response.body()).contains(field);
  }

  static List<String> fields(JsonNode problem) {
    List<String> fields = new ArrayList<>();
    problem.get("errors").forEach(e -> fields.add(e.get("field").asString()));
    return fields;
  }

  private static List<String> types(JsonNode steps) {
    List<String> types = new ArrayList<>();
    steps.forEach(s -> types.add(s.get("type").asString()));
    return types;
  }
}
