package dev.sequencer.app;

import static dev.sequencer.app.ControlApiTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.suppression.SuppressionHash;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The contact book over HTTP: imports that upsert, lists, one organization's contacts hidden from
 * another, the export of everything held about a contact, and an erasure that leaves none of its
 * personal data in any column of any table while its opt-out still holds.
 */
class ContactsApiTest {

  private final RunningService service = RunningService.get();

  /** A run-unique word, so tests of the shared service never see each other's contacts. */
  private static String unique() {
    return "k" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  @Test
  void importsJsonAndCsvWithPerRowRejectsAndUpsertsByContactId() {
    String u = unique();
    var json =
        service.post(
            "/api/v1/contacts",
            """
            [{"contact_id": "%1$s-1", "email": " Grace.Hopper@Example.COM ", "first_name": "Grace",
              "tags": ["vip", " beta ", "vip"], "attributes": {"plan": "pro", "seats": 5}},
             {"contact_id": "%1$s-2", "phone": "(415) 555-0123", "timezone": "Europe/Paris"},
             {"contact_id": "%1$s-3"},
             {"email": "nobody@example.com"},
             {"contact_id": "%1$s-4", "email": "not-an-address", "timezone": "Mars/Olympus"},
             "not an object",
             {"contact_id": "%1$s-1", "email": "grace@example.com", "first_name": "Grace B.",
              "tags": ["vip"]}]
            """
                .formatted(u));
    assertThat(json.status()).as(json.body()).isEqualTo(200);
    JsonNode result = json.json();
    assertThat(result.get("accepted").asInt()).isEqualTo(3);
    assertThat(indexes(result.get("contacts"))).containsExactly(0, 1, 6);
    assertThat(indexes(result.get("rejected"))).containsExactly(2, 3, 4, 5);
    assertThat(fields(result.get("rejected").get(0))).containsExactly("email");
    assertThat(fields(result.get("rejected").get(1))).containsExactly("contact_id");
    assertThat(fields(result.get("rejected").get(2))).containsExactly("email", "timezone");
    assertThat(result.get("rejected").get(2).get("contact_id").asString()).isEqualTo(u + "-4");

    // The repeated id: the last row wins, every field replaced (attributes included).
    JsonNode first = service.get("/api/v1/contacts/" + u + "-1").json();
    assertThat(first.get("email").asString()).isEqualTo("grace@example.com");
    assertThat(first.get("first_name").asString()).isEqualTo("Grace B.");
    assertThat(first.get("attributes").size()).isZero();
    assertThat(first.get("tags").toString()).isEqualTo("[\"vip\"]");
    JsonNode second = service.get("/api/v1/contacts/" + u + "-2").json();
    assertThat(second.get("phone").asString()).isEqualTo("+14155550123");
    assertThat(second.get("timezone").asString()).isEqualTo("Europe/Paris");

    var csv =
        service.postCsv(
            "/api/v1/contacts",
            "contact_id,email,phone,first_name,tags,attributes.plan\n"
                + u
                + "-2,ADA@example.com,,Ada,alpha; beta ;,team\n"
                + u
                + "-5,,,Nobody,,\n"
                + u
                + "-6,six@example.com,+44 20 7946 0958,Six,,\n"
                + "bad id!,x@example.com,,,,\n");
    assertThat(csv.status()).as(csv.body()).isEqualTo(200);
    assertThat(csv.json().get("accepted").asInt()).isEqualTo(2);
    assertThat(indexes(csv.json().get("rejected"))).containsExactly(1, 3);
    assertThat(fields(csv.json().get("rejected").get(1))).containsExactly("contact_id");
    JsonNode replaced = service.get("/api/v1/contacts/" + u + "-2").json();
    // The CSV row named no phone and no timezone: the upsert replaces them with none.
    assertThat(replaced.get("email").asString()).isEqualTo("ada@example.com");
    assertThat(replaced.path("phone").isMissingNode() || replaced.get("phone").isNull()).isTrue();
    assertThat(replaced.get("tags").toString()).isEqualTo("[\"alpha\",\"beta\"]");
    assertThat(replaced.get("attributes").get("plan").asString()).isEqualTo("team");
    JsonNode six = service.get("/api/v1/contacts/" + u + "-6").json();
    assertThat(six.get("timezone").asString()).isEqualTo("Europe/London");
  }

  @Test
  void aMalformedBodyChangesNothing() {
    String u = unique();
    var json =
        service.post(
            "/api/v1/contacts",
            "[{\"contact_id\": \"" + u + "-1\", \"email\": \"a@example.com\"}, {\"contact_id\": ");
    CampaignApiTest.assertInvalid(json, "body");
    StringBuilder csv = new StringBuilder("contact_id,email\n");
    for (int i = 0; i < 1500; i++) {
      csv.append(u).append('-').append(i).append(",c").append(i).append("@example.com\n");
    }
    csv.append(u).append("-x,\"unclosed@example.com\n");
    CampaignApiTest.assertInvalid(service.postCsv("/api/v1/contacts", csv.toString()), "body");
    CampaignApiTest.assertInvalid(
        service.postCsv("/api/v1/contacts", "contact_id,fax\n" + u + ",1\n"), "fax");
    assertThat(service.get("/api/v1/contacts?q=" + u).json().get("total").asLong()).isZero();
  }

  @Test
  void listsPagesFilteredByTagAndSearch() {
    String u = unique();
    StringBuilder csv = new StringBuilder("contact_id,email,company,tags\n");
    for (int i = 0; i < 5; i++) {
      csv.append(u).append('-').append(i).append(',');
      csv.append("p").append(i).append('@').append(u).append(".test,");
      csv.append(i == 3 ? "Initech " + u.toUpperCase() : "Globex").append(',');
      csv.append(i % 2 == 0 ? "even;" + u : "odd;" + u).append('\n');
    }
    assertThat(service.postCsv("/api/v1/contacts", csv.toString()).json().get("accepted").asInt())
        .isEqualTo(5);

    JsonNode page = service.get("/api/v1/contacts?q=" + u + "&limit=2&offset=1").json();
    assertThat(page.get("total").asLong()).isEqualTo(5);
    assertThat(page.get("has_more").asBoolean()).isTrue();
    assertThat(ids(page)).containsExactly(u + "-1", u + "-2");
    JsonNode tagged = service.get("/api/v1/contacts?tag=" + u + "&q=p4").json();
    assertThat(ids(tagged)).containsExactly(u + "-4");
    // The tag "even" is everyone's: the search keeps this test's.
    assertThat(ids(service.get("/api/v1/contacts?tag=even&q=" + u).json()))
        .containsExactly(u + "-0", u + "-2", u + "-4");
    // Case-insensitive, in the company.
    assertThat(ids(service.get("/api/v1/contacts?q=initech%20" + u).json()))
        .containsExactly(u + "-3");
    CampaignApiTest.assertInvalid(service.get("/api/v1/contacts?limit=0"), "limit");
  }

  @Test
  void anotherOrganizationsContactIsNotFoundAndOnlyAdminsWriteOrExport() {
    String u = unique();
    service.post(
        "/api/v1/contacts", "[{\"contact_id\": \"" + u + "\", \"email\": \"own@example.com\"}]");
    RunningService.Organization other = service.newOrganization("Contacts other " + u);
    for (String path : List.of("/api/v1/contacts/" + u, "/api/v1/contacts/" + u + "/export")) {
      assertThat(service.call("GET", path, other.adminKey(), null).status()).isEqualTo(404);
    }
    assertThat(service.call("DELETE", "/api/v1/contacts/" + u, other.adminKey(), null).status())
        .isEqualTo(404);
    assertThat(
            service
                .call("GET", "/api/v1/contacts?q=" + u, other.adminKey(), null)
                .json()
                .get("total")
                .asLong())
        .isZero();
    // The same contact id in the other organization is its own contact.
    service.call(
        "POST",
        "/api/v1/contacts",
        other.adminKey(),
        "[{\"contact_id\": \"" + u + "\", \"email\": \"theirs@example.com\"}]");
    assertThat(service.get("/api/v1/contacts/" + u).json().get("email").asString())
        .isEqualTo("own@example.com");

    String readOnly = service.newKey(other.adminKey(), "read_only");
    assertThat(service.call("GET", "/api/v1/contacts/" + u, readOnly, null).status())
        .isEqualTo(200);
    assertThat(service.call("GET", "/api/v1/contacts/" + u + "/export", readOnly, null).status())
        .isEqualTo(403);
    assertThat(service.call("DELETE", "/api/v1/contacts/" + u, readOnly, null).status())
        .isEqualTo(403);
    assertThat(service.call("POST", "/api/v1/contacts", readOnly, "[]").status()).isEqualTo(403);
  }

  @Test
  void erasureLeavesNoPersonalDataAnywhereAndTheOptOutStillHolds() throws Exception {
    String u = unique();
    String email = "mail" + u + "@example.com";
    String phone = "+1646555" + String.format("%04d", Math.floorMod(u.hashCode(), 10_000));
    String otherEmail = "second" + u + "@example.com";
    Map<String, String> markers =
        Map.of(
            "contact_id", "cid" + u,
            "email", email,
            "phone", phone,
            "first_name", "first" + u,
            "last_name", "last" + u,
            "company", "company" + u,
            "title", "title" + u,
            "tag", "tag" + u,
            "attribute", "attr" + u,
            "lead", "lead" + u);
    var imported =
        service.post(
            "/api/v1/contacts",
            """
            [{"contact_id": "%s", "email": "%s", "phone": "%s", "first_name": "%s",
              "last_name": "%s", "company": "%s", "title": "%s", "tags": ["%s"],
              "attributes": {"note": "%s"}}]
            """
                .formatted(
                    markers.get("contact_id"),
                    email,
                    phone,
                    markers.get("first_name"),
                    markers.get("last_name"),
                    markers.get("company"),
                    markers.get("title"),
                    markers.get("tag"),
                    markers.get("attribute")));
    assertThat(imported.json().get("accepted").asInt()).as(imported.body()).isEqualTo(1);
    String contactId = markers.get("contact_id");

    // A campaign sends to the contact's address; the person replies asking to be removed.
    String first = service.createOpenEmailCampaign("Erasure first " + u);
    service.post(
        "/api/v1/campaigns/" + first + "/leads",
        """
        [{"lead_id": "%s", "email": "%s", "first_name": "%s", "last_name": "%s",
          "company": "%s", "title": "%s", "attributes": {"note": "%s"}}]
        """
            .formatted(
                markers.get("lead"),
                email,
                markers.get("first_name"),
                markers.get("last_name"),
                markers.get("company"),
                markers.get("title"),
                markers.get("attribute")));
    // A second campaign reaches the same person by their number, from another address: its
    // sequence is still running when the contact is erased.
    String second = service.createOpenEmailCampaign("Erasure second " + u);
    service.post(
        "/api/v1/campaigns/" + second + "/leads",
        ("[{\"lead_id\": \"second-%s\", \"email\": \"%s\", \"phone\": \"%s\","
                + " \"whatsapp\": \"%s\"}]")
            .formatted(markers.get("lead"), otherEmail, phone, phone));
    service.post("/api/v1/campaigns/" + first + "/start", "{}");
    service.post("/api/v1/campaigns/" + second + "/start", "{}");
    await(() -> lead(first, markers.get("lead")), l -> sent(l));
    await(() -> lead(second, "second-" + markers.get("lead")), l -> sent(l));
    // The reply comes by mail to the sender's mailbox, read by the poller.
    TestMail.send(
        service.smtpPort,
        email,
        "ada@acme.test",
        "Re: for " + markers.get("company"),
        "Please remove me from your list. " + markers.get("first_name"),
        null);
    // Support staff pause the second sequence by hand: the audit log names the lead.
    assertThat(
            service
                .post(
                    "/api/v1/campaigns/"
                        + second
                        + "/leads/second-"
                        + markers.get("lead")
                        + "/pause",
                    "{}")
                .status())
        .isEqualTo(202);
    await(
        () -> lead(first, markers.get("lead")),
        l -> "opted_out".equals(l.get("status").asString()));
    JdbcClient jdbc = service.bean(JdbcClient.class);
    long contactPk =
        jdbc.sql("select id from contacts where contact_id = ?")
            .param(contactId)
            .query(Long.class)
            .single();
    jdbc.sql(
            "insert into contact_events (organization_id, event_id, contact_pk, type, properties,"
                + " occurred_at, received_at) values ('org_default', ?, ?, 'signed_up',"
                + " cast(? as jsonb), now(), now())")
        .params("ev-" + u, contactPk, "{\"email\": \"" + email + "\"}")
        .update();
    // The person also wrote to the organization on WhatsApp, opening a conversation window.
    jdbc.sql(
            "insert into whatsapp_sessions (organization_id, business, address, last_inbound_at)"
                + " values ('org_default', '+15005550006', ?, now())")
        .param(phone)
        .update();

    // Opt-outs hold for the contact everywhere: shown on the contact, and a lead of the address
    // in a third campaign is suppressed.
    JsonNode detail = service.get("/api/v1/contacts/" + contactId).json();
    assertThat(detail.get("suppressed").get("email").asBoolean()).isTrue();
    assertThat(detail.get("suppressed").get("sms").asBoolean()).isFalse();
    assertThat(detail.get("leads").size()).isEqualTo(2);
    String third = service.createOpenEmailCampaign("Erasure third " + u);
    service.post(
        "/api/v1/campaigns/" + third + "/leads",
        "[{\"lead_id\": \"third\", \"email\": \"" + email + "\"}]");
    assertThat(lead(third, "third").get("status").asString()).isEqualTo("suppressed");

    // The export holds everything.
    var export = service.get("/api/v1/contacts/" + contactId + "/export");
    assertThat(export.status()).as(export.body()).isEqualTo(200);
    JsonNode everything = export.json();
    assertThat(everything.get("contact").get("email").asString()).isEqualTo(email);
    assertThat(everything.get("leads").size()).isEqualTo(3);
    JsonNode firstLead = everything.get("leads").get(0);
    assertThat(firstLead.get("lead_id").asString()).isEqualTo(markers.get("lead"));
    assertThat(firstLead.get("messages").get(0).get("to").asString()).isEqualTo(email);
    assertThat(firstLead.get("timeline").toString()).contains("opted_out");
    assertThat(everything.get("events").get(0).get("event_id").asString()).isEqualTo("ev-" + u);
    assertThat(everything.get("suppressions").get(0).get("address").asString()).isEqualTo(email);
    assertThat(everything.get("suppression_audit").toString()).contains("opt_out");

    // The scan finds the data where it is before the erasure.
    List<String> before = scan(jdbc, List.copyOf(markers.values()));
    System.out.println("columns holding the contact's data before its erasure: " + before);
    assertThat(before)
        .contains(
            "contacts.email",
            "contacts.tags",
            "contacts.attributes",
            "leads.lead_id",
            "leads.attributes",
            "messages.recipient",
            "messages.body_text",
            "lead_events.detail",
            "suppressions.address",
            "suppression_audit.address",
            "inbound_messages.from_address",
            "audit_log.path",
            "contact_events.properties");

    var erased = service.call("DELETE", "/api/v1/contacts/" + contactId, RunningService.KEY, null);
    assertThat(erased.status()).as(erased.body()).isEqualTo(204);
    assertThat(service.get("/api/v1/contacts/" + contactId).status()).isEqualTo(404);

    // The running sequence of the second campaign was stopped; statuses stay for the metrics.
    JsonNode secondLeads = service.get("/api/v1/campaigns/" + second + "/leads").json();
    assertThat(secondLeads.get("leads").get(0).get("status").asString()).isEqualTo("cancelled");
    assertThat(secondLeads.get("leads").get(0).get("lead_id").asString()).startsWith("erased-");
    JsonNode firstLeads = service.get("/api/v1/campaigns/" + first + "/leads").json();
    assertThat(firstLeads.get("leads").get(0).get("status").asString()).isEqualTo("opted_out");
    // A moment for anything the stopped workflow still writes.
    Thread.sleep(1000);

    List<String> found = scan(jdbc, List.copyOf(markers.values()));
    found.addAll(scan(jdbc, List.of(otherEmail)));
    assertThat(found).as("columns that still hold the contact's data").isEmpty();
    assertThat(
            jdbc.sql("select count(*) from suppressions where address = ?")
                .param(SuppressionHash.of(email))
                .query(Long.class)
                .single())
        .isEqualTo(1);

    assertThat(
            service
                .call("DELETE", "/api/v1/contacts/" + contactId, RunningService.KEY, null)
                .status())
        .isEqualTo(404);

    // The erased opt-out still holds: the address imported again is suppressed.
    String fourth = service.createOpenEmailCampaign("Erasure fourth " + u);
    service.post(
        "/api/v1/campaigns/" + fourth + "/leads",
        "[{\"lead_id\": \"again\", \"email\": \"" + email.toUpperCase() + "\"}]");
    assertThat(lead(fourth, "again").get("status").asString()).isEqualTo("suppressed");
    service.post(
        "/api/v1/contacts",
        "[{\"contact_id\": \"again-" + u + "\", \"email\": \"" + email + "\"}]");
    assertThat(
            service
                .get("/api/v1/contacts/again-" + u)
                .json()
                .get("suppressed")
                .get("email")
                .asBoolean())
        .isTrue();
  }

  @Test
  void importsTenThousandCsvRows() {
    String u = unique();
    double seconds = importCsv(service, u, 10_000);
    System.out.printf("imported 10000 contacts in %.1f s: %.0f rows/s%n", seconds, 1e4 / seconds);
    JsonNode last = service.get("/api/v1/contacts/" + u + "-9990").json();
    assertThat(last.get("phone").asString()).isEqualTo("+14155559990");
    assertThat(last.get("attributes").get("n").asString()).isEqualTo("9990");
    assertThat(last.get("tags").toString()).isEqualTo("[\"bulk\",\"t" + (9990 % 7) + "\"]");
  }

  /**
   * Imports {@code rows} generated contacts ({@code <u>-<i>}, every tenth with a phone) as one CSV
   * body, checks every row was accepted, and returns the seconds the import took.
   */
  static double importCsv(RunningService service, String u, int rows) {
    StringBuilder csv =
        new StringBuilder(
            "contact_id,email,phone,first_name,last_name,company,tags,attributes.n\n");
    for (int i = 0; i < rows; i++) {
      csv.append(u).append('-').append(i).append(',');
      csv.append("bulk").append(i).append('@').append(u).append(".test,");
      csv.append(i % 10 == 0 ? "+1415555" + String.format("%04d", i % 10_000) : "").append(',');
      csv.append("First").append(i).append(",Last,Initech,bulk;t").append(i % 7).append(',');
      csv.append(i).append('\n');
    }
    long start = System.nanoTime();
    var response = service.postCsv("/api/v1/contacts", csv.toString());
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("accepted").asInt()).isEqualTo(rows);
    assertThat(service.get("/api/v1/contacts?q=" + u + "&limit=1").json().get("total").asLong())
        .isEqualTo(rows);
    return seconds;
  }

  /**
   * Every text, varchar, jsonb and array column of every table of the public schema that holds any
   * of {@code needles}, as table.column.
   */
  static List<String> scan(JdbcClient jdbc, List<String> needles) {
    String[] patterns = needles.stream().map(n -> "%" + n + "%").toArray(String[]::new);
    List<String> found = new ArrayList<>();
    List<String[]> columns =
        jdbc.sql(
                "select c.table_name, c.column_name from information_schema.columns c"
                    + " join information_schema.tables t on t.table_schema = c.table_schema"
                    + " and t.table_name = c.table_name and t.table_type = 'BASE TABLE'"
                    + " where c.table_schema = 'public' and (c.data_type in ('text',"
                    + " 'character varying', 'jsonb', 'json', 'character') or (c.data_type ="
                    + " 'ARRAY' and c.udt_name in ('_text', '_varchar')))")
            .query((rs, i) -> new String[] {rs.getString(1), rs.getString(2)})
            .list();
    assertThat(columns.size()).isGreaterThan(50);
    for (String[] column : columns) {
      long hits =
          jdbc.sql(
                  "select count(*) from \""
                      + column[0]
                      + "\" where cast(\""
                      + column[1]
                      + "\" as text) ilike any (?)")
              .param(patterns)
              .query(Long.class)
              .single();
      if (hits > 0) {
        found.add(column[0] + "." + column[1]);
      }
    }
    return found;
  }

  private JsonNode lead(String campaign, String leadId) {
    return service.get("/api/v1/campaigns/" + campaign + "/leads/" + leadId).json();
  }

  private static boolean sent(JsonNode lead) {
    return lead.get("messages") != null
        && lead.get("messages").size() > 0
        && "sent".equals(lead.get("messages").get(0).get("status").asString());
  }

  private static List<Integer> indexes(JsonNode rows) {
    List<Integer> indexes = new ArrayList<>();
    rows.forEach(r -> indexes.add(r.get("index").asInt()));
    return indexes;
  }

  private static List<String> fields(JsonNode rejected) {
    List<String> fields = new ArrayList<>();
    rejected.get("errors").forEach(e -> fields.add(e.get("field").asString()));
    return fields;
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("contacts").forEach(c -> ids.add(c.get("contact_id").asString()));
    return ids;
  }
}
