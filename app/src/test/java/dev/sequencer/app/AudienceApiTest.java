package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.contact.Contact;
import dev.sequencer.store.contact.Contacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The audiences API (API.md, "Contacts, audiences and events"): definitions stored and shown as
 * given, refusals naming the field (injection attempts among them), estimates and member pages,
 * other organizations' audiences as 404, and a campaign's {@code audience_id}.
 */
class AudienceApiTest {

  private static final Instant AT = Instant.parse("2027-03-01T09:00:00Z");

  private final RunningService service = RunningService.get();
  private final JdbcClient jdbc = service.bean(JdbcClient.class);

  private RunningService.Organization org;

  /** Contacts p01..p12: the odd ones tagged "vip", plan "pro" on p01..p04, seats = the number. */
  @BeforeEach
  void contactBook() {
    org = service.newOrganization("Audiences");
    List<Contact> book = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      String id = "p%02d".formatted(i);
      book.add(
          new Contact(
              null,
              org.id(),
              id,
              id + "@example.com",
              null,
              "First" + i,
              null,
              null,
              null,
              null,
              i % 2 == 1 ? List.of("vip") : List.of(),
              i <= 4 ? Map.of("plan", "pro", "seats", i) : Map.of("seats", i),
              null,
              AT,
              AT));
    }
    service.bean(Contacts.class).upsert(book);
  }

  @Test
  void anAudienceIsStoredEstimatedAndListedPageByPage() {
    var created =
        call(
            "POST",
            "/api/v1/audiences",
            """
            {"name": "VIPs or pro", "filter": {"any": [{"field": "tags", "op": "eq", "value": "vip"},
                                                {"field": "attributes.plan", "op": "eq", "value": "pro"}],
                                        "none": [{"field": "attributes.seats", "op": "gt", "value": 10}]},
             "static_members": ["p12"], "excluded_tags": ["blocked"], "not_contacted_within_days": 7}
            """);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().get("audience_id").asString();
    assertThat(id).startsWith("aud_");
    JsonNode shown = call("GET", "/api/v1/audiences/" + id, null).json();
    assertThat(shown.get("name").asString()).isEqualTo("VIPs or pro");
    assertThat(shown.get("filter").get("any").get(1).get("field").asString())
        .isEqualTo("attributes.plan");
    assertThat(shown.get("filter").get("none").get(0).get("value").asInt()).isEqualTo(10);
    assertThat(shown.get("static_members").get(0).asString()).isEqualTo("p12");
    assertThat(shown.get("not_contacted_within_days").asInt()).isEqualTo(7);

    // vip: 1,3,5,7,9,11; pro: 1..4; none with seats > 10: not 11 (12 is static).
    var estimate = call("GET", "/api/v1/audiences/" + id + "/estimate", null);
    assertThat(estimate.json().get("size").asLong()).as(estimate.body()).isEqualTo(8);
    JsonNode first = call("GET", "/api/v1/audiences/" + id + "/members?limit=5", null).json();
    assertThat(ids(first.get("contact_ids"))).containsExactly("p01", "p02", "p03", "p04", "p05");
    assertThat(first.get("total").asLong()).isEqualTo(8);
    assertThat(first.get("has_more").asBoolean()).isTrue();
    JsonNode second =
        call("GET", "/api/v1/audiences/" + id + "/members?limit=5&offset=5", null).json();
    assertThat(ids(second.get("contact_ids"))).containsExactly("p07", "p09", "p12");
    assertThat(second.get("has_more").asBoolean()).isFalse();

    JsonNode list = call("GET", "/api/v1/audiences", null).json();
    assertThat(list.get("total").asLong()).isEqualTo(1);
    assertThat(list.get("audiences").get(0).get("audience_id").asString()).isEqualTo(id);
  }

  @Test
  void badDefinitionsAreRefusedNamingTheFieldAndChangeNothing() {
    Map<String, String> refusals =
        Map.ofEntries(
            Map.entry("{\"name\": \"x\", \"filters\": {}}", "filters"),
            Map.entry("{\"filter\": {}}", "name"),
            Map.entry("{\"name\": \"x\", \"filter\": {\"either\": []}}", "filter.either"),
            Map.entry(
                "{\"name\": \"x\", \"filter\": {\"all\": [{\"field\": \"tags\", \"op\": \"like\","
                    + " \"value\": \"a\"}]}}",
                "filter.all[0].op"),
            Map.entry(
                "{\"name\": \"x\", \"filter\": {\"all\": [{\"field\": \"email\", \"op\": \"in\","
                    + " \"value\": \"a@x.test\"}]}}",
                "filter.all[0].value"),
            Map.entry(
                "{\"name\": \"x\", \"filter\": {\"any\": [{\"field\": \"email\", \"op\": \"exists\","
                    + " \"value\": true}]}}",
                "filter.any[0].value"),
            Map.entry(
                "{\"name\": \"x\", \"filter\": {\"none\": [{\"field\": \"attributes.seats\","
                    + " \"op\": \"gt\", \"value\": \"10\"}]}}",
                "filter.none[0].value"),
            Map.entry(
                "{\"name\": \"x\", \"filter\": {\"all\": [{\"field\": \"attributes.x'); drop table"
                    + " contacts;--\", \"op\": \"eq\", \"value\": \"a\"}]}}",
                "filter.all[0].field"),
            Map.entry(
                "{\"name\": \"x\", \"filter\": {\"all\": [{\"field\": \"email; drop table"
                    + " contacts\", \"op\": \"eq\", \"value\": \"a\"}]}}",
                "filter.all[0].field"),
            Map.entry(
                "{\"name\": \"x\", \"filter\": {\"all\": [{\"field\": \"email\", \"op\": \"eq\","
                    + " \"value\": \"a\", \"extra\": 1}]}}",
                "filter.all[0].extra"),
            Map.entry("{\"name\": \"x\", \"static_members\": \"p01\"}", "static_members"),
            Map.entry("{\"name\": \"x\", \"excluded_tags\": [1]}", "excluded_tags[0]"),
            Map.entry(
                "{\"name\": \"x\", \"not_contacted_within_days\": 1.5}",
                "not_contacted_within_days"),
            Map.entry(
                "{\"name\": \"x\", \"filter\": {\"all\": " + manyConditions(51) + "}}", "filter"));
    refusals.forEach(
        (body, field) -> {
          var refused = call("POST", "/api/v1/audiences", body);
          assertThat(refused.status()).as(body + " -> " + refused.body()).isEqualTo(400);
          assertThat(refused.json().get("errors").get(0).get("field").asString())
              .as(body)
              .isEqualTo(field);
        });
    assertThat(
            call(
                    "POST",
                    "/api/v1/audiences",
                    "{\"name\": \"x\", \"filter\": {\"all\": " + manyConditions(50) + "}}")
                .status())
        .isEqualTo(201);
    assertThat(call("GET", "/api/v1/audiences", null).json().get("total").asLong()).isEqualTo(1);
    assertThat(
            jdbc.sql("select count(*) from contacts where organization_id = ?")
                .param(org.id())
                .query(Long.class)
                .single())
        .isEqualTo(12);
  }

  @Test
  void anotherOrganizationsAudienceIsNotFoundAndAReadOnlyKeyOnlyReads() {
    String id =
        audience(
            "{\"name\": \"VIPs\", \"filter\": {\"all\": [{\"field\": \"tags\","
                + " \"op\": \"eq\", \"value\": \"vip\"}]}}");
    RunningService.Organization other = service.newOrganization("Other");
    for (String path :
        List.of(
            "/api/v1/audiences/" + id,
            "/api/v1/audiences/" + id + "/estimate",
            "/api/v1/audiences/" + id + "/members")) {
      assertThat(service.call("GET", path, other.adminKey(), null).status()).isEqualTo(404);
    }
    assertThat(service.call("DELETE", "/api/v1/audiences/" + id, other.adminKey(), null).status())
        .isEqualTo(404);
    String readOnly = service.newKey(org.adminKey(), "read_only");
    assertThat(
            service
                .call("GET", "/api/v1/audiences/" + id + "/estimate", readOnly, null)
                .json()
                .get("size")
                .asLong())
        .isEqualTo(6);
    assertThat(service.call("POST", "/api/v1/audiences", readOnly, "{\"name\": \"x\"}").status())
        .isEqualTo(403);
    assertThat(service.call("DELETE", "/api/v1/audiences/" + id, readOnly, null).status())
        .isEqualTo(403);
  }

  @Test
  void aCampaignNamesItsAudienceWhichCannotBeDeletedWhileTheCampaignHasNotEnded() {
    String vips =
        audience(
            "{\"name\": \"VIPs\", \"filter\": {\"all\": [{\"field\": \"tags\","
                + " \"op\": \"eq\", \"value\": \"vip\"}]}}");
    String pros =
        audience(
            "{\"name\": \"Pros\", \"filter\": {\"all\": [{\"field\":"
                + " \"attributes.plan\", \"op\": \"eq\", \"value\": \"pro\"}]}}");
    RunningService.Organization other = service.newOrganization("Other campaigns");
    String theirs =
        service
            .call("POST", "/api/v1/audiences", other.adminKey(), "{\"name\": \"theirs\"}")
            .json()
            .get("audience_id")
            .asString();

    var refused = call("POST", "/api/v1/campaigns", campaign(theirs));
    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.json().get("errors").get(0).get("field").asString())
        .isEqualTo("audience_id");
    assertThat(call("GET", "/api/v1/campaigns", null).json().get("total").asLong()).isZero();
    assertThat(call("POST", "/api/v1/campaigns", campaign("not an id")).status()).isEqualTo(400);

    var created = call("POST", "/api/v1/campaigns", campaign(vips));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().get("audience_id").asString()).isEqualTo(vips);
    String campaign = created.json().get("campaign_id").asString();
    assertThat(
            call("GET", "/api/v1/campaigns/" + campaign, null).json().get("audience_id").asString())
        .isEqualTo(vips);

    var patched =
        call("PATCH", "/api/v1/campaigns/" + campaign, "{\"audience_id\": \"" + pros + "\"}");
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json().get("audience_id").asString()).isEqualTo(pros);
    assertThat(patched.json().get("revision").asInt()).isEqualTo(2);
    var theirsPatch =
        call("PATCH", "/api/v1/campaigns/" + campaign, "{\"audience_id\": \"" + theirs + "\"}");
    assertThat(theirsPatch.status()).isEqualTo(422);
    // A PATCH that does not name it keeps it.
    assertThat(
            call("PATCH", "/api/v1/campaigns/" + campaign, "{\"name\": \"Renamed\"}")
                .json()
                .get("audience_id")
                .asString())
        .isEqualTo(pros);

    var inUse = call("DELETE", "/api/v1/audiences/" + pros, null);
    assertThat(inUse.status()).as(inUse.body()).isEqualTo(409);
    assertThat(inUse.body()).contains(campaign);
    assertThat(call("DELETE", "/api/v1/audiences/" + vips, null).status()).isEqualTo(204);
    assertThat(call("GET", "/api/v1/audiences/" + vips, null).status()).isEqualTo(404);

    assertThat(
            call("PATCH", "/api/v1/campaigns/" + campaign, "{\"audience_id\": null}")
                .json()
                .get("audience_id")
                .isNull())
        .isTrue();
    assertThat(call("DELETE", "/api/v1/audiences/" + pros, null).status()).isEqualTo(204);
  }

  private String audience(String body) {
    var created = call("POST", "/api/v1/audiences", body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("audience_id").asString();
  }

  /** From a sender of its own: the service is shared, and a sender belongs to one organization. */
  private String campaign(String audienceId) {
    return """
        {"name": "Audience campaign", "channel": "email",
         "sender": {"email": "%s@audiences.test"},
         "steps": [{"type": "hook", "day": 0, "subject": "Hi", "body": "Hello"}],
         "audience_id": "%s"}
        """
        .formatted(org.id().toLowerCase(java.util.Locale.ROOT), audienceId);
  }

  private static String manyConditions(int n) {
    List<String> conditions = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      conditions.add("{\"field\": \"tags\", \"op\": \"neq\", \"value\": \"t" + i + "\"}");
    }
    return "[" + String.join(", ", conditions) + "]";
  }

  private RunningService.Response call(String method, String path, String body) {
    return service.call(method, path, org.adminKey(), body);
  }

  private static List<String> ids(JsonNode array) {
    List<String> ids = new ArrayList<>();
    array.forEach(node -> ids.add(node.asString()));
    return ids;
  }
}
