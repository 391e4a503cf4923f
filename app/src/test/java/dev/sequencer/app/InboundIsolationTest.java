package dev.sequencer.app;

import static dev.sequencer.app.ControlApiTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Mail that comes back acts only within the organization that sent what it answers: two
 * organizations message the same person, from mailboxes of their own and through one shared reply
 * mailbox, and a reply or bounce reaches only the lead it belongs to, or none.
 */
class InboundIsolationTest {

  private static final String SHARED = "replies@shared-inbox.test";
  private static final AtomicInteger UNIQUE = new AtomicInteger();

  private static RunningService shared;
  private final RunningService own = RunningService.get();

  @BeforeAll
  static void startSharedMailboxService() {
    shared =
        RunningService.start(
            "--sequencer.imap.username=" + SHARED, "--sequencer.imap.password=" + SHARED);
  }

  @AfterAll
  static void stop() {
    if (shared != null) {
      shared.context.close();
    }
  }

  @Test
  void aReplyToAnOrganizationsMailboxActsOnlyOnThatOrganizationsLead() throws Exception {
    String person = person();
    Started a = start(own, "A", sender("a"), null, person);
    Started b = start(own, "B", sender("b"), null, person);

    // Quoting no Message-ID: matched by the sender's address, within the mailbox's organization.
    TestMail.send(own.smtpPort, person, a.sender(), "Re: hello", "Yes, interested!", null);

    await(() -> lead(own, a), l -> "replied".equals(l.get("status").asString()));
    Record record = awaitRecord(own, person);
    assertThat(record.organization()).isEqualTo(a.organization());
    assertThat(record.matched()).isEqualTo(1);
    assertThat(lead(own, b).get("status").asString()).isEqualTo("active");
  }

  @Test
  void aDeliveryReportActsOnlyWhenItQuotesAMessageTheMailboxsOrganizationSent() throws Exception {
    String person = person();
    Started a = start(own, "A", sender("a"), null, person);
    Started b = start(own, "B", sender("b"), null, person);

    // Naming only the recipient, or another organization's message: anyone could write these.
    TestMail.deliveryReport(own.smtpPort, a.sender(), "5.1.1", person, "<forged@elsewhere.test>");
    TestMail.deliveryReport(own.smtpPort, a.sender(), "5.1.1", person, b.messageId());

    List<Record> records = awaitRecords(own, person, 2);
    assertThat(records).extracting(Record::matched).containsExactly(0, 0);
    assertThat(lead(own, a).get("status").asString()).isEqualTo("active");
    assertThat(lead(own, b).get("status").asString()).isEqualTo("active");
    assertThat(suppressions(own, person)).isZero();

    // The report that quotes the organization's own message acts.
    TestMail.deliveryReport(own.smtpPort, a.sender(), "5.1.1", person, a.messageId());
    await(() -> lead(own, a), l -> "bounced".equals(l.get("status").asString()));
    assertThat(lead(own, b).get("status").asString()).isEqualTo("active");
  }

  @Test
  void inASharedMailboxOnlyAQuotedMessageIdMatchesAndAnUnmatchedReplyActsOnNothing()
      throws Exception {
    String person = person();
    Started a = start(shared, "A", sender("a"), SHARED, person);
    Started b = start(shared, "B", sender("b"), SHARED, person);

    TestMail.send(shared.smtpPort, person, SHARED, "Re: hello", "Not interested, thanks.", null);

    Record unmatched = awaitRecord(shared, person);
    assertThat(unmatched.matched()).isZero();
    assertThat(unmatched.organization()).isNull();
    assertThat(lead(shared, a).get("status").asString()).isEqualTo("active");
    assertThat(lead(shared, b).get("status").asString()).isEqualTo("active");

    TestMail.send(
        shared.smtpPort, person, SHARED, "Re: hello", "Sounds great, call me.", b.messageId());

    await(() -> lead(shared, b), l -> "replied".equals(l.get("status").asString()));
    assertThat(lead(shared, a).get("status").asString()).isEqualTo("active");
  }

  record Started(
      String organization, String key, String sender, String campaign, String messageId) {}

  record Record(String organization, int matched) {}

  /** A running campaign of a new organization whose hook went out to {@code person}. */
  private static Started start(
      RunningService service, String name, String sender, String replyTo, String person)
      throws Exception {
    RunningService.Organization org = service.newOrganization("Isolation " + name);
    var created =
        service.call(
            "POST",
            "/api/v1/campaigns",
            org.adminKey(),
            """
            {"name": "Isolation", "channel": "email",
             "sender": {"email": "%s", "name": "Ada"%s},
             "steps": [{"type": "hook", "day": 0, "subject": "Hello", "body": "Hi!"},
                       {"type": "proof", "day": 3, "subject": "Proof", "body": "Proof"}],
             "schedule": {"timezone": "UTC", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
            """
                .formatted(sender, replyTo == null ? "" : ", \"reply_to\": \"" + replyTo + "\""));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String campaign = created.json().get("campaign_id").asString();
    service.call(
        "POST",
        "/api/v1/campaigns/" + campaign + "/leads",
        org.adminKey(),
        "[{\"lead_id\": \"person\", \"email\": \"" + person + "\"}]");
    service.call("POST", "/api/v1/campaigns/" + campaign + "/start", org.adminKey(), "{}");
    Started started = new Started(org.id(), org.adminKey(), sender, campaign, null);
    JsonNode lead =
        await(
            () -> lead(service, started),
            l ->
                l.get("messages") != null
                    && l.get("messages").size() > 0
                    && "sent".equals(l.get("messages").get(0).get("status").asString()));
    return new Started(
        org.id(),
        org.adminKey(),
        sender,
        campaign,
        lead.get("messages").get(0).get("provider_message_id").asString());
  }

  private static JsonNode lead(RunningService service, Started started) {
    return service
        .call(
            "GET", "/api/v1/campaigns/" + started.campaign() + "/leads/person", started.key(), null)
        .json();
  }

  private static Record awaitRecord(RunningService service, String person) throws Exception {
    return awaitRecords(service, person, 1).get(0);
  }

  /** The processed inbound messages from or about {@code person}, once there are n. */
  private static List<Record> awaitRecords(RunningService service, String person, int n)
      throws Exception {
    JdbcClient jdbc = service.bean(JdbcClient.class);
    return await(
        () ->
            jdbc.sql(
                    "select organization_id, matched_leads from inbound_messages"
                        + " where (from_address like :p or subject like :p)"
                        + " and classification is not null order by id")
                .param("p", "%" + person + "%")
                .query((rs, i) -> new Record(rs.getString(1), rs.getInt(2)))
                .list(),
        records -> records.size() >= n);
  }

  private static long suppressions(RunningService service, String address) {
    return service
        .bean(JdbcClient.class)
        .sql("select count(*) from suppressions where address = ?")
        .param(address)
        .query(Long.class)
        .single();
  }

  private static String person() {
    return "lee-" + UNIQUE.incrementAndGet() + "-" + System.nanoTime() + "@people.test";
  }

  private static String sender(String who) {
    return who + "-" + UNIQUE.incrementAndGet() + "-" + System.nanoTime() + "@isolation.test";
  }
}
