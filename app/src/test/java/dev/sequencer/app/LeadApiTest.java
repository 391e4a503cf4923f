package dev.sequencer.app;

import static dev.sequencer.app.CampaignApiTest.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.suppression.Suppressions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class LeadApiTest {

  private final RunningService service = RunningService.get();

  @Test
  void roleAddressesAndDuplicatesAreKeptButFlagged() {
    String campaign = service.createOpenEmailCampaign("Import hygiene");
    JsonNode first =
        service
            .post(
                "/api/v1/campaigns/" + campaign + "/leads",
                """
                [{"lead_id": "h-1", "email": "info@globex.test"},
                 {"lead_id": "h-2", "email": "Hank.Scorpio@globex.test"},
                 {"lead_id": "h-3", "email": "hank.scorpio@globex.test"},
                 {"lead_id": "h-4", "email": "homer@globex.test"}]
                """)
            .json();
    assertThat(first.get("accepted").asInt()).isEqualTo(4);
    assertThat(flags(first)).containsExactly("0 h-1 [role_address]", "2 h-3 [duplicate]");
    assertThat(first.get("warnings").isEmpty()).as("no MX check by default").isTrue();
    // A later import is compared with the leads already there.
    JsonNode second =
        service
            .post(
                "/api/v1/campaigns/" + campaign + "/leads",
                """
                [{"lead_id": "h-5", "email": "homer@globex.test"},
                 {"lead_id": "h-6", "email": "sales+emea@globex.test"},
                 {"lead_id": "h-7", "email": "marge@globex.test"}]
                """)
            .json();
    assertThat(second.get("accepted").asInt()).isEqualTo(3);
    assertThat(flags(second)).containsExactly("0 h-5 [duplicate]", "1 h-6 [role_address]");
  }

  /** {@code flagged} as "index lead_id [flags]" lines. */
  static java.util.List<String> flags(JsonNode result) {
    return result
        .get("flagged")
        .valueStream()
        .map(
            f ->
                f.get("index").asInt()
                    + " "
                    + f.get("lead_id").asString()
                    + " "
                    + f.get("flags").valueStream().map(JsonNode::asString).toList())
        .toList();
  }

  @Test
  void validRowsAreKeptAndInvalidRowsReported() {
    String campaign = usCampaign();
    JsonNode result =
        imported(
            campaign,
            """
            [{"lead_id": "crm-1001", "email": "Grace@Example.com", "phone": "(415) 555-0100",
              "first_name": "Grace", "company": "Navy", "attributes": {"city": "Arlington"}},
             {"lead_id": "crm-1002", "email": "no-at-sign"},
             {"lead_id": "crm-1003", "email": "a@example.com", "phone": "12"},
             {"lead_id": "crm-1004", "email": "b@example.com", "timezone": "Moon/Base"},
             {"lead_id": "crm-1001", "email": "dup@example.com"},
             {"lead_id": "bad id!", "email": "c@example.com"},
             {"email": "d@example.com", "timezone": "Europe/Berlin"},
             {"lead_id": "crm-1007", "email": "e@example.com", "age": 3},
             "not an object",
             {"lead_id": "crm-1009", "phone": "+442071838750", "email": "f@example.com"}]
            """);
    assertThat(result.get("accepted").asInt()).isEqualTo(3);
    assertThat(result.get("leads").findValuesAsString("index")).containsExactly("0", "6", "9");
    assertThat(result.get("rejected").findValuesAsString("index"))
        .containsExactly("1", "2", "3", "4", "5", "7", "8");
    assertThat(result.get("rejected").get(0).get("errors").get(0).get("field").asString())
        .isEqualTo("email");
    assertThat(result.get("rejected").get(1).get("errors").get(0).get("field").asString())
        .isEqualTo("phone");
    assertThat(result.get("rejected").get(2).get("errors").get(0).get("field").asString())
        .isEqualTo("timezone");
    assertThat(result.get("rejected").get(3).get("errors").get(0).get("message").asString())
        .contains("already in this campaign");
    assertThat(result.get("rejected").get(4).get("errors").get(0).get("field").asString())
        .isEqualTo("lead_id");
    assertThat(result.get("rejected").get(5).get("errors").get(0).get("field").asString())
        .isEqualTo("age");

    JsonNode grace = service.get("/api/v1/campaigns/" + campaign + "/leads/crm-1001").json();
    assertThat(grace.get("email").asString()).isEqualTo("grace@example.com");
    assertThat(grace.get("phone").asString()).isEqualTo("+14155550100");
    assertThat(grace.get("timezone").asString())
        .as("inferred from the phone number")
        .isEqualTo("America/Los_Angeles");
    assertThat(grace.get("attributes").get("city").asString()).isEqualTo("Arlington");
    assertThat(grace.get("status").asString()).isEqualTo("pending");

    JsonNode london = service.get("/api/v1/campaigns/" + campaign + "/leads/crm-1009").json();
    assertThat(london.get("timezone").asString()).isEqualTo("Europe/London");

    String generated = result.get("leads").get(1).get("lead_id").asString();
    assertThat(generated).startsWith("ld_");
    JsonNode berlin = service.get("/api/v1/campaigns/" + campaign + "/leads/" + generated).json();
    assertThat(berlin.get("timezone").asString()).isEqualTo("Europe/Berlin");
  }

  /** A lead's state decides the hours its texts may go out in: only a state's code will do. */
  @Test
  void aStateAttributeMustBeAUsStateOrTerritoryCode() {
    JsonNode result =
        imported(
            usCampaign(),
            """
            [{"lead_id": "st-1", "email": "st1@example.com", "attributes": {"state": "fl"}},
             {"lead_id": "st-2", "email": "st2@example.com", "attributes": {"state": "PR"}},
             {"lead_id": "st-3", "email": "st3@example.com", "attributes": {"state": "Florida"}},
             {"lead_id": "st-4", "email": "st4@example.com", "attributes": {"state": "ZZ"}},
             {"lead_id": "st-5", "email": "st5@example.com", "attributes": {"state": 12}}]
            """);
    assertThat(result.get("leads").findValuesAsString("lead_id")).containsExactly("st-1", "st-2");
    assertThat(result.get("rejected").findValuesAsString("index")).containsExactly("2", "3", "4");
    result
        .get("rejected")
        .forEach(
            rejected ->
                assertThat(rejected.get("errors").get(0).get("field").asString())
                    .isEqualTo("attributes.state"));
  }

  @Test
  void withoutZoneOrInferablePhoneTheCampaignZoneApplies() {
    String campaign = usCampaign();
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"no-zone\", \"email\": \"z@example.com\"}]");
    assertThat(
            service
                .get("/api/v1/campaigns/" + campaign + "/leads/no-zone")
                .json()
                .get("timezone")
                .asString())
        .isEqualTo("America/New_York");
  }

  @Test
  void csvImportWithAttributes() {
    String campaign = usCampaign();
    var response =
        service.postCsv(
            "/api/v1/campaigns/" + campaign + "/leads",
            """
            lead_id,email,first_name,company,timezone,attributes.city
            csv-1,ann@example.com,Ann,"Acme, Inc.",America/Denver,Boulder
            csv-2,broken,Bob,,,
            csv-3,cat@example.com,Cat,,,
            """);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().get("accepted").asInt()).isEqualTo(2);
    assertThat(response.json().get("rejected").get(0).get("index").asInt()).isEqualTo(1);
    JsonNode ann = service.get("/api/v1/campaigns/" + campaign + "/leads/csv-1").json();
    assertThat(ann.get("company").asString()).isEqualTo("Acme, Inc.");
    assertThat(ann.get("attributes").get("city").asString()).isEqualTo("Boulder");
    assertThat(ann.get("timezone").asString()).isEqualTo("America/Denver");
  }

  @Test
  void aCsvWithAByteOrderMarkAsSpreadsheetsExportIt() {
    String campaign = usCampaign();
    var response =
        service.postCsv(
            "/api/v1/campaigns/" + campaign + "/leads",
            "\uFEFFlead_id,email,first_name\nbom-1,bom@example.com,Bo\n");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().get("accepted").asInt()).isEqualTo(1);
    assertThat(service.get("/api/v1/campaigns/" + campaign + "/leads/bom-1").status())
        .isEqualTo(200);
  }

  @Test
  void aMalformedBodyChangesNothing() {
    String campaign = usCampaign();
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < 1500; i++) {
      body.append("{\"lead_id\": \"m-")
          .append(i)
          .append("\", \"email\": \"m")
          .append(i)
          .append("@example.com\"},");
    }
    body.append("{\"lead_id\": ");
    assertInvalid(
        service.post("/api/v1/campaigns/" + campaign + "/leads", body.toString()), "body");
    assertInvalid(
        service.postCsv("/api/v1/campaigns/" + campaign + "/leads", "lead_id,shoe_size\nx,42\n"),
        "shoe_size");
    assertInvalid(
        service.post("/api/v1/campaigns/" + campaign + "/leads", "{\"lead_id\": \"x\"}"), "body");
    assertThat(leadCount(campaign)).isZero();
  }

  @Test
  void suppressedAddressesAreAcceptedButNeverMessaged() {
    String campaign = usCampaign();
    service
        .bean(Suppressions.class)
        .suppress("org_default", "EMAIL", "gone@example.com", "api", "test", Instant.now());
    var response =
        service.post(
            "/api/v1/campaigns/" + campaign + "/leads",
            "[{\"lead_id\": \"gone\", \"email\": \"gone@example.com\"}]");
    assertThat(response.json().get("accepted").asInt()).isEqualTo(1);
    assertThat(
            service
                .get("/api/v1/campaigns/" + campaign + "/leads/gone")
                .json()
                .get("status")
                .asString())
        .isEqualTo("suppressed");
  }

  @Test
  void listFiltersByStatusAndPages() {
    String campaign = usCampaign();
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < 5; i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"lead_id\": \"p-")
          .append(i)
          .append("\", \"email\": \"p")
          .append(i)
          .append("@example.com\"}");
    }
    service.post("/api/v1/campaigns/" + campaign + "/leads", body.append("]").toString());
    JsonNode page =
        service
            .get("/api/v1/campaigns/" + campaign + "/leads?status=pending&limit=2&offset=2")
            .json();
    assertThat(page.get("total").asLong()).isEqualTo(5);
    assertThat(page.get("leads").findValuesAsString("lead_id")).containsExactly("p-2", "p-3");
    assertThat(page.get("has_more").asBoolean()).isTrue();
    assertThat(
            service
                .get("/api/v1/campaigns/" + campaign + "/leads?status=active")
                .json()
                .get("total")
                .asLong())
        .isZero();
    assertInvalid(service.get("/api/v1/campaigns/" + campaign + "/leads?status=asleep"), "status");
    assertThat(service.get("/api/v1/campaigns/" + campaign + "/leads/nobody").status())
        .isEqualTo(404);
  }

  @Test
  void smsCampaignsNeedPhones() {
    var created =
        service.post(
            "/api/v1/campaigns",
            "{\"name\": \"SMS\", \"channel\": \"sms\", \"sender\": {\"phone\": \"+15005550006\"}}");
    String campaign = created.json().get("campaign_id").asString();
    var response =
        service.post(
            "/api/v1/campaigns/" + campaign + "/leads",
            "[{\"lead_id\": \"s1\", \"email\": \"s1@example.com\"}, {\"lead_id\": \"s2\", \"phone\": \"+1 212 555 0199\"}]");
    assertThat(response.json().get("accepted").asInt()).isEqualTo(1);
    assertThat(response.json().get("rejected").get(0).get("errors").get(0).get("field").asString())
        .isEqualTo("phone");
    JsonNode s2 = service.get("/api/v1/campaigns/" + campaign + "/leads/s2").json();
    assertThat(s2.get("phone").asString()).isEqualTo("+12125550199");
    assertThat(s2.get("timezone").asString()).isEqualTo("America/New_York");
  }

  /** The result of importing {@code leads}, a JSON array, which must be answered with 200. */
  private JsonNode imported(String campaign, String leads) {
    var response = service.post("/api/v1/campaigns/" + campaign + "/leads", leads);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private String usCampaign() {
    var created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "Leads", "channel": "email", "sender": {"email": "ada@acme.test"},
             "schedule": {"timezone": "America/New_York"}}
            """);
    return created.json().get("campaign_id").asString();
  }

  private long leadCount(String campaign) {
    return service
        .bean(JdbcClient.class)
        .sql("select count(*) from leads where campaign_id = ?")
        .param(campaign)
        .query(Long.class)
        .single();
  }
}
