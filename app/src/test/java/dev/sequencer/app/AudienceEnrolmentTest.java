package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.contact.Contact;
import dev.sequencer.store.contact.Contacts;
import dev.sequencer.store.suppression.Suppressions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A campaign with an {@code audience_id} enrols the audience's members at its start (suppressed
 * ones as suppressed leads, those without an address not at all), and a recurring one enrols at
 * each run the members who joined since. On a service of its own with a time-skipping Temporal
 * server, as {@link RecurringCampaignTest} explains.
 */
class AudienceEnrolmentTest {

  private static final Instant AT = Instant.parse("2027-03-01T09:00:00Z");

  private static RunningService service;
  private static JdbcClient jdbc;

  @BeforeAll
  static void start() {
    service = RunningService.start("--sequencer.embedded.temporal-time-skipping=true");
    jdbc = service.bean(JdbcClient.class);
  }

  @AfterAll
  static void stop() {
    service.context.close();
  }

  @Test
  void aCampaignEnrolsItsAudiencesMembersAtItsStart() throws Exception {
    RunningService.Organization org = service.newOrganization("Audience enrolment");
    Contacts contacts = service.bean(Contacts.class);
    contacts.upsert(
        List.of(
            contact(org, "m01", "m01@example.com", null, "customer"),
            contact(org, "m02", "m02@example.com", null, "customer"),
            contact(org, "m03", "m03@example.com", "+14155550103", "customer"),
            contact(org, "m04", "m04@example.com", null, "customer", "beta"),
            contact(org, "m05", "m05@example.com", null, "customer"),
            contact(org, "m06", "m06@example.com", null, "customer"),
            // On the suppression list: a suppressed lead, never messaged.
            contact(org, "m07", "m07@example.com", null, "customer"),
            // No email address: not a lead of an email campaign.
            contact(org, "m08", null, "+14155550108", "customer"),
            // Excluded by tag.
            contact(org, "m09", "m09@example.com", null, "customer", "do-not-contact"),
            // Not in the filter.
            contact(org, "m10", "m10@example.com", null, "prospect"),
            // A static member outside the filter.
            contact(org, "s01", "s01@example.com", null),
            // Without the attribute the templates need: left out, as an import would refuse it.
            new Contact(
                null,
                org.id(),
                "m11",
                "m11@example.com",
                null,
                "Eleven",
                null,
                null,
                null,
                null,
                List.of("customer"),
                Map.of(),
                null,
                AT,
                AT)));
    service
        .bean(Suppressions.class)
        .suppress(org.id(), "EMAIL", "m07@example.com", "api", "test", AT);
    String audience =
        created(
                org,
                "/api/v1/audiences",
                """
            {"name": "Customers", "filter": {"all": [{"field": "tags", "op": "eq", "value": "customer"}]},
             "static_members": ["s01"], "excluded_tags": ["do-not-contact"]}
            """)
            .get("audience_id")
            .asString();
    String campaign =
        created(org, "/api/v1/campaigns", campaign("Customers once", null, audience, true))
            .get("campaign_id")
            .asString();
    var started =
        service.call("POST", "/api/v1/campaigns/" + campaign + "/start", org.adminKey(), "{}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);

    Map<String, String> leads =
        ControlApiTest.await(
            () -> statuses(campaign),
            s -> s.size() == 8 && !s.containsValue("PENDING") && !s.containsValue("ACTIVE"));
    assertThat(leads)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "m01", "COMPLETED",
                "m02", "COMPLETED",
                "m03", "COMPLETED",
                "m04", "COMPLETED",
                "m05", "COMPLETED",
                "m06", "COMPLETED",
                "m07", "SUPPRESSED",
                "s01", "COMPLETED"));
    // Every lead points at its contact.
    assertThat(
            jdbc.sql(
                    "select count(*) from leads l join contacts c on c.id = l.contact_pk"
                        + " where l.campaign_id = ? and c.contact_id = l.lead_id")
                .param(campaign)
                .query(Long.class)
                .single())
        .isEqualTo(8);
    // The sends marked the contacts they reached as contacted, and only those.
    assertThat(
            jdbc.sql(
                    "select contact_id from contacts where organization_id = ?"
                        + " and last_contacted_at is not null order by contact_id")
                .param(org.id())
                .query(String.class)
                .list())
        .containsExactly("m01", "m02", "m03", "m04", "m05", "m06", "s01");
  }

  @Test
  void aRecurringCampaignEnrolsTheMembersWhoJoinedSinceItsLastRun() throws Exception {
    RunningService.Organization org = service.newOrganization("Audience drip");
    Contacts contacts = service.bean(Contacts.class);
    contacts.upsert(
        List.of(
            contact(org, "d1", "d1@example.com", null, "drip"),
            contact(org, "d2", "d2@example.com", null, "drip"),
            contact(org, "x1", "x1@example.com", null, "other")));
    String audience =
        created(
                org,
                "/api/v1/audiences",
                "{\"name\": \"Drip\", \"filter\": {\"all\": [{\"field\": \"tags\", \"op\": \"eq\","
                    + " \"value\": \"drip\"}]}}")
            .get("audience_id")
            .asString();
    String campaign =
        created(org, "/api/v1/campaigns", campaign("Drip", "0 9 * * *", audience, false))
            .get("campaign_id")
            .asString();
    service.call("POST", "/api/v1/campaigns/" + campaign + "/start", org.adminKey(), "{}");

    JsonNode first =
        ControlApiTest.await(
            () ->
                service
                    .call("GET", "/api/v1/campaigns/" + campaign, org.adminKey(), null)
                    .json()
                    .get("runs"),
            runs -> runs.size() >= 1);
    assertThat(first.get(0).get("enrolled").asLong()).isEqualTo(2);

    contacts.upsert(List.of(contact(org, "d3", "d3@example.com", null, "drip")));
    ControlApiTest.await(
        () ->
            service
                .call("GET", "/api/v1/campaigns/" + campaign, org.adminKey(), null)
                .json()
                .get("runs"),
        runs -> {
          for (JsonNode run : runs) {
            if (run.get("run").asInt() > 1 && run.get("enrolled").asLong() == 1) {
              return true;
            }
          }
          return false;
        });
    assertThat(statuses(campaign).keySet()).containsExactly("d1", "d2", "d3");
    JsonNode runs =
        service
            .call("GET", "/api/v1/campaigns/" + campaign, org.adminKey(), null)
            .json()
            .get("runs");
    long enrolled = 0;
    for (JsonNode run : runs) {
      enrolled += run.get("enrolled").asLong();
    }
    assertThat(enrolled).isEqualTo(3);

    // Its members were enrolled from its start on: the audience no longer changes.
    var frozen =
        service.call(
            "PATCH", "/api/v1/campaigns/" + campaign, org.adminKey(), "{\"audience_id\": null}");
    assertThat(frozen.status()).as(frozen.body()).isEqualTo(409);
    assertThat(frozen.json().get("errors").get(0).get("field").asString()).isEqualTo("audience_id");
  }

  /** With {@code needsPlan}, the templates use the attribute plan without a fallback. */
  private static String campaign(
      String name, String recurrence, String audience, boolean needsPlan) {
    return """
        {"name": "%s", "channel": "email", "sender": {"email": "%s@acme.test"},
         "steps": [{"type": "hook", "day": 0, "subject": "Hi", "body": "Hello %s"}],
         "template_attributes": %s,
         "schedule": {"timezone": "UTC", "holiday_calendar": null, "recurrence": %s,
                      "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
         "audience_id": "%s"}
        """
        .formatted(
            name,
            name.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'),
            needsPlan ? "{{first_name}} on {{plan}}" : "{{first_name|there}}",
            needsPlan ? "[\"plan\"]" : "[]",
            recurrence == null ? "null" : "\"" + recurrence + "\"",
            audience);
  }

  private static JsonNode created(RunningService.Organization org, String path, String body) {
    var created = service.call("POST", path, org.adminKey(), body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json();
  }

  private static Map<String, String> statuses(String campaign) {
    Map<String, String> statuses = new TreeMap<>();
    jdbc.sql("select lead_id, status from leads where campaign_id = ?")
        .param(campaign)
        .query((rs, row) -> statuses.put(rs.getString(1), rs.getString(2)))
        .list();
    return statuses;
  }

  private static Contact contact(
      RunningService.Organization org, String id, String email, String phone, String... tags) {
    return new Contact(
        null,
        org.id(),
        id,
        email,
        phone,
        "Name" + id,
        null,
        null,
        null,
        null,
        List.of(tags),
        Map.of("plan", "pro"),
        null,
        AT,
        AT);
  }
}
