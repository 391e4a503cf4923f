package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The trigger field, activation and the events endpoint refuse bad input with a 400 naming the
 * field, and a refused request changes nothing.
 */
class TriggerApiTest {

  private final RunningService service = RunningService.get();

  private static final String CAMPAIGN =
      """
      {"name": "Triggered", "channel": "email", "sender": {"email": "ada@acme.test"},
       "trigger": %s}
      """;

  private static List<String> fields(RunningService.Response response) {
    List<String> fields = new ArrayList<>();
    response.json().path("errors").forEach(e -> fields.add(e.get("field").asString()));
    return fields;
  }

  private RunningService.Response create(String trigger) {
    return service.post("/api/v1/campaigns", CAMPAIGN.formatted(trigger));
  }

  @Test
  void aBadTriggerIsRefusedNamingTheField() {
    long before = campaigns();
    assertThat(fields(create("{}"))).containsExactly("trigger.event");
    assertThat(fields(create("\"signed_up\""))).containsExactly("trigger");
    assertThat(
            fields(
                create(
                    """
                    {"event": "signed_up",
                     "conditions": [{"field": "properties.plan", "op": "like", "value": "x"},
                                    {"field": "nickname", "op": "eq", "value": "x"},
                                    {"field": "tags", "op": "in", "value": "vip"},
                                    {"field": "properties.plan", "op": "eq", "value": {"a": 1}}],
                     "delay_minutes": -5,
                     "frequency": {"limit": 0, "window_hours": 720},
                     "quiet_hours": {"start": "21:00", "end": "25:00"},
                     "colour": "red"}
                    """)))
        .containsExactlyInAnyOrder(
            "trigger.colour",
            "trigger.conditions[0].op",
            "trigger.conditions[1].field",
            "trigger.conditions[2].value",
            "trigger.conditions[3].value",
            "trigger.delay_minutes",
            "trigger.frequency.limit",
            "trigger.quiet_hours.end");
    assertThat(create("{\"event\": \"signed_up\", \"delay_minutes\": 1.5}").status())
        .isEqualTo(400);
    assertThat(
            fields(
                service.post(
                    "/api/v1/campaigns",
                    """
                    {"name": "Recurring", "channel": "email", "sender": {"email": "ada@acme.test"},
                     "schedule": {"recurrence": "0 9 * * MON"}, "trigger": {"event": "a"}}
                    """)))
        .containsExactly("trigger");
    assertThat(campaigns()).isEqualTo(before);
  }

  @Test
  void aTriggerIsShownPatchedBeforeActivationAndFrozenAfter() {
    RunningService.Response created =
        create(
            """
            {"event": "signed_up", "delay_minutes": 30,
             "conditions": [{"field": "properties.plan", "op": "eq", "value": "pro"}],
             "frequency": {"limit": 2, "window_hours": 24},
             "quiet_hours": {"start": "22:00", "end": "07:30"}}
            """);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode trigger = created.json().get("trigger");
    assertThat(trigger.get("event").asString()).isEqualTo("signed_up");
    assertThat(trigger.get("delay_minutes").asInt()).isEqualTo(30);
    assertThat(trigger.get("conditions").get(0).get("value").asString()).isEqualTo("pro");
    assertThat(trigger.get("frequency").get("window_hours").asInt()).isEqualTo(24);
    assertThat(trigger.get("quiet_hours").get("end").asString()).isEqualTo("07:30");
    assertThat(trigger.get("activated_at").isNull()).isTrue();
    String id = created.json().get("campaign_id").asString();
    String path = "/api/v1/campaigns/" + id;

    // Merged: only the delay changes.
    JsonNode patched = service.patch(path, "{\"trigger\": {\"delay_minutes\": 90}}").json();
    assertThat(patched.get("trigger").get("delay_minutes").asInt()).isEqualTo(90);
    assertThat(patched.get("trigger").get("event").asString()).isEqualTo("signed_up");
    assertThat(fields(service.patch(path, "{\"trigger\": {\"frequency\": {\"limit\": \"one\"}}}")))
        .contains("trigger.frequency.limit");
    assertThat(service.get(path).json().get("trigger").get("frequency").get("limit").asInt())
        .isEqualTo(2);
    // A PATCH of something else keeps the trigger.
    assertThat(service.patch(path, "{\"name\": \"Renamed\"}").json().get("trigger").isNull())
        .isFalse();

    RunningService.Response start = service.post(path + "/start", "{}");
    assertThat(start.status()).isEqualTo(409);
    assertThat(start.json().get("detail").asString()).contains("activate");
    RunningService.Response activated = service.post(path + "/activate", "{}");
    assertThat(activated.status()).isEqualTo(202);
    assertThat(activated.json().get("status").asString()).isEqualTo("running");
    assertThat(activated.json().get("trigger").get("activated_at").isNull()).isFalse();
    assertThat(service.post(path + "/activate", "{}").status()).isEqualTo(409);
    assertThat(service.patch(path, "{\"trigger\": {\"delay_minutes\": 5}}").status())
        .isEqualTo(409);
    assertThat(service.patch(path, "{\"trigger\": null}").status()).isEqualTo(409);

    String plain = service.createOpenEmailCampaign("Not triggered");
    RunningService.Response refused =
        service.post("/api/v1/campaigns/" + plain + "/activate", "{}");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(service.get("/api/v1/campaigns/" + plain).json().get("status").asString())
        .isEqualTo("draft");
    assertThat(service.post("/api/v1/campaigns/cmp_nope/activate", "{}").status()).isEqualTo(404);
  }

  @Test
  void aBadEventIsRefusedNamingTheFieldAndRecordsNothing() {
    long before = events();
    RunningService.Response none =
        service.post("/api/v1/events", "{\"event_id\": \"bad-1\", \"type\": \"signed_up\"}");
    assertThat(none.status()).isEqualTo(400);
    assertThat(fields(none)).containsExactly("contact_id");
    assertThat(
            fields(
                service.post(
                    "/api/v1/events",
                    """
                    {"event_id": "", "email": "not an address", "phone": "12",
                     "type": "signed up!", "occurred_at": "yesterday",
                     "properties": {"nested": {"a": 1}, "bad key": 1}, "extra": 1}
                    """)))
        .containsExactlyInAnyOrder(
            "event_id",
            "email",
            "phone",
            "type",
            "occurred_at",
            "properties.nested",
            "properties.bad key",
            "extra");
    assertThat(service.post("/api/v1/events", "[1]").status()).isEqualTo(400);
    assertThat(service.post("/api/v1/events", "{\"event_id\": 5, \"contact_id\": \"c\"}").status())
        .isEqualTo(400);
    assertThat(events()).isEqualTo(before);
    assertThat(service.get("/api/v1/contacts/nobody-here/enrolments").status()).isEqualTo(404);
  }

  @Test
  void eventsNeedAnAdminKeyAndContactsAreTheOrganizations() {
    RunningService.Organization org = service.newOrganization("Event roles");
    String operator = service.newKey(org.adminKey(), "operator");
    String body = "{\"event_id\": \"role-1\", \"contact_id\": \"r-1\", \"type\": \"x\"}";
    assertThat(service.call("POST", "/api/v1/events", operator, body).status()).isEqualTo(403);
    assertThat(service.call("POST", "/api/v1/events", org.adminKey(), body).status())
        .isEqualTo(202);
    assertThat(service.call("GET", "/api/v1/contacts/r-1/enrolments", operator, null).status())
        .isEqualTo(200);
    // Another organization's contact does not exist for this one.
    assertThat(service.get("/api/v1/contacts/r-1/enrolments").status()).isEqualTo(404);
  }

  private long campaigns() {
    return service
        .bean(org.springframework.jdbc.core.simple.JdbcClient.class)
        .sql("select count(*) from campaigns")
        .query(Long.class)
        .single();
  }

  private long events() {
    return service
        .bean(org.springframework.jdbc.core.simple.JdbcClient.class)
        .sql("select count(*) from contact_events")
        .query(Long.class)
        .single();
  }
}
