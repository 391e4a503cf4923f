package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import io.temporal.serviceclient.TestServiceStubs;
import io.temporal.serviceclient.TestServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Sender pools through the real send path on a time-skipping Temporal server: leads spread over a
 * pool and keep their sender, a sender's daily limit and spacing hold across campaigns that race
 * for it, and a new mailbox ramps up day by day. Expected counts are worked out by hand in each
 * test from the settings it makes.
 */
class SenderPoolsTest {

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
  void aThousandLeadsSpreadEvenlyOverThePool() throws Exception {
    String tag = tag();
    List<String> pool =
        List.of(sender(tag, "one", "{}"), sender(tag, "two", "{}"), sender(tag, "three", "{}"));
    String campaign = campaign("Rotation " + tag, pool, hookOnly(), null);
    StringBuilder leads = new StringBuilder("[");
    for (int i = 0; i < 1000; i++) {
      leads
          .append(i == 0 ? "" : ",")
          .append("{\"lead_id\": \"r-")
          .append(i)
          .append("\", \"email\": \"r")
          .append(i)
          .append('.')
          .append(tag)
          .append("@example.com\"}");
    }
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/leads", leads + "]").status())
        .isEqualTo(200);
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");

    ControlApiTest.await(() -> pendingLeads(campaign), pending -> pending == 0);
    Map<String, Long> bySender = leadsBySender(campaign);

    // 1000 = 3 x 333 + 1: in enrolment order each lead goes to the sender with the fewest so far,
    // the first of the pool on a tie, so the first sender gets the one left over.
    assertThat(bySender)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(pool.get(0), 334L, pool.get(1), 333L, pool.get(2), 333L));
    service.post("/api/v1/campaigns/" + campaign + "/cancel", "{}");
  }

  @Test
  void everyStepOfALeadComesFromItsOwnSender() throws Exception {
    String tag = tag();
    List<String> pool = List.of(sender(tag, "left", "{}"), sender(tag, "right", "{}"));
    String campaign = campaign("Sticky " + tag, pool, threeSteps(), null);
    List<String> addresses = new ArrayList<>();
    StringBuilder leads = new StringBuilder("[");
    for (int i = 0; i < 6; i++) {
      String address = "s" + i + "." + tag + "@example.com";
      addresses.add(address);
      leads
          .append(i == 0 ? "" : ",")
          .append("{\"lead_id\": \"s-")
          .append(i)
          .append("\", \"email\": \"")
          .append(address)
          .append("\"}");
    }
    service.post("/api/v1/campaigns/" + campaign + "/leads", leads + "]");
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    ControlApiTest.await(
        () -> service.get("/api/v1/campaigns/" + campaign).json().get("status").asString(),
        "completed"::equals);

    Map<String, Integer> perSender = new LinkedHashMap<>();
    for (int i = 0; i < 6; i++) {
      JsonNode lead = service.get("/api/v1/campaigns/" + campaign + "/leads/s-" + i).json();
      String senderId = lead.get("sender_id").asString();
      String senderAddress =
          service.get("/api/v1/senders/" + senderId).json().get("email").asString();
      perSender.merge(senderId, 1, Integer::sum);
      assertThat(lead.get("messages")).hasSize(3);
      lead.get("messages")
          .forEach(m -> assertThat(m.get("sender_id").asString()).isEqualTo(senderId));
      // Read back as the recipient's mail client sees them: all three from the lead's sender.
      List<String> from = fromAddresses(addresses.get(i));
      assertThat(from).containsExactly(senderAddress, senderAddress, senderAddress);
    }
    assertThat(perSender)
        .containsExactlyInAnyOrderEntriesOf(Map.of(pool.get(0), 3, pool.get(1), 3));
  }

  @Test
  void aSendersDailyLimitAndSpacingHoldAcrossTwoRacingCampaigns() throws Exception {
    String tag = tag();
    String shared = sender(tag, "shared", "{\"daily_limit\": 4, \"min_spacing_seconds\": 600}");
    Instant start = nextUtcMidnight().plus(Duration.ofHours(1));
    LocalDate day1 = LocalDate.ofInstant(start, ZoneOffset.UTC);
    String first = campaign("Race A " + tag, List.of(shared), hookOnly(), null);
    String second = campaign("Race B " + tag, List.of(shared), hookOnly(), null);
    for (String campaign : List.of(first, second)) {
      StringBuilder leads = new StringBuilder("[");
      for (int i = 0; i < 5; i++) {
        leads
            .append(i == 0 ? "" : ",")
            .append("{\"lead_id\": \"c-")
            .append(i)
            .append("\", \"email\": \"c")
            .append(i)
            .append('.')
            .append(campaign.toLowerCase())
            .append("@example.com\"}");
      }
      service.post("/api/v1/campaigns/" + campaign + "/leads", leads + "]");
    }
    String startBody = "{\"start_at\": \"" + start + "\"}";
    CompletableFuture<?> a =
        CompletableFuture.runAsync(
            () -> service.post("/api/v1/campaigns/" + first + "/start", startBody));
    CompletableFuture<?> b =
        CompletableFuture.runAsync(
            () -> service.post("/api/v1/campaigns/" + second + "/start", startBody));
    CompletableFuture.allOf(a, b).join();
    for (String campaign : List.of(first, second)) {
      ControlApiTest.await(
          () -> service.get("/api/v1/campaigns/" + campaign).json().get("status").asString(),
          "completed"::equals);
    }

    List<Instant> sent = sentBy(shared);
    // Ten hooks, at most four a day from 01:00 on: 4, 4 and 2 on three consecutive days.
    assertThat(perDay(sent))
        .containsExactly(
            Map.entry(day1, 4L), Map.entry(day1.plusDays(1), 4L), Map.entry(day1.plusDays(2), 2L));
    for (int i = 1; i < sent.size(); i++) {
      assertThat(Duration.between(sent.get(i - 1), sent.get(i)))
          .as("gap before send %d", i)
          .isGreaterThanOrEqualTo(Duration.ofSeconds(600));
    }
    assertThat(
            jdbc.sql(
                    "select count(*) from lead_events e join leads l on l.id = e.lead_pk"
                        + " where l.sender_id = ? and e.event = 'deferred'"
                        + " and e.detail like 'sender_limit%'")
                .param(shared)
                .query(Long.class)
                .single())
        .as("hooks moved to a later day say why")
        .isEqualTo(6);
  }

  @Test
  void aNewMailboxRampsUpDayByDay() throws Exception {
    String tag = tag();
    // The ramp starts on the server's today: time-skipping runs its clock ahead of the wall clock.
    LocalDate today = LocalDate.ofInstant(serverNow(), ZoneOffset.UTC);
    JsonNode registered =
        registered(
            tag,
            "ramp",
            "{\"daily_limit\": 10, \"ramp\": {\"start\": 2, \"increase_per_day\": 2,"
                + " \"from\": \""
                + today
                + "\"}}");
    String ramping = registered.get("sender_id").asString();
    LocalDate rampFrom = LocalDate.parse(registered.get("ramp").get("from").asString());
    assertThat(rampFrom).isEqualTo(today);
    // The first send day is the ramp's second: 2 + 2 = 4, then 6, then 8 (only 4 leads left).
    Instant start = rampFrom.plusDays(1).atTime(1, 0).toInstant(ZoneOffset.UTC);
    String campaign = campaign("Ramp " + tag, List.of(ramping), hookOnly(), null);
    StringBuilder leads = new StringBuilder("[");
    for (int i = 0; i < 14; i++) {
      leads
          .append(i == 0 ? "" : ",")
          .append("{\"lead_id\": \"p-")
          .append(i)
          .append("\", \"email\": \"p")
          .append(i)
          .append('.')
          .append(tag)
          .append("@example.com\"}");
    }
    service.post("/api/v1/campaigns/" + campaign + "/leads", leads + "]");
    service.post("/api/v1/campaigns/" + campaign + "/start", "{\"start_at\": \"" + start + "\"}");
    ControlApiTest.await(
        () -> service.get("/api/v1/campaigns/" + campaign).json().get("status").asString(),
        "completed"::equals);

    LocalDate day1 = rampFrom.plusDays(1);
    assertThat(perDay(sentBy(ramping)))
        .containsExactly(
            Map.entry(day1, 4L), Map.entry(day1.plusDays(1), 6L), Map.entry(day1.plusDays(2), 4L));
  }

  private static String tag() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static String sender(String tag, String name, String settings) {
    return registered(tag, name, settings).get("sender_id").asString();
  }

  private static JsonNode registered(String tag, String name, String settings) {
    String body =
        "{\"channel\": \"email\", \"email\": \""
            + name
            + "@pool-"
            + tag
            + ".test\", \"name\": \""
            + name
            + "\""
            + (settings.equals("{}") ? "" : ", " + settings.substring(1, settings.length() - 1))
            + "}";
    RunningService.Response created = service.post("/api/v1/senders", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json();
  }

  private static String hookOnly() {
    return """
        [{"type": "hook", "day": 0, "subject": "Quick idea", "body": "Hi {{first_name|there}}"}]""";
  }

  private static String threeSteps() {
    return """
        [{"type": "hook", "day": 0, "subject": "Quick idea", "body": "Hi"},
         {"type": "proof", "day": 3, "subject": "Proof", "body": "Proof"},
         {"type": "fomo", "day": 7, "subject": "Last call", "body": "Last call"}]""";
  }

  private static String campaign(String name, List<String> pool, String steps, String extra) {
    RunningService.Response created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "%s", "channel": "email", "senders": [%s],
             "steps": %s,
             "schedule": {"timezone": "UTC", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}%s}
            """
                .formatted(
                    name,
                    String.join(", ", pool.stream().map(id -> "\"" + id + "\"").toList()),
                    steps,
                    extra == null ? "" : ", " + extra));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("campaign_id").asString();
  }

  private static long pendingLeads(String campaign) {
    return jdbc.sql("select count(*) from leads where campaign_id = ? and status = 'PENDING'")
        .param(campaign)
        .query(Long.class)
        .single();
  }

  private static Map<String, Long> leadsBySender(String campaign) {
    Map<String, Long> counts = new LinkedHashMap<>();
    jdbc.sql("select sender_id, count(*) from leads where campaign_id = ? group by sender_id")
        .param(campaign)
        .query(
            rs -> {
              counts.put(rs.getString(1), rs.getLong(2));
            });
    return counts;
  }

  private static List<Instant> sentBy(String senderId) {
    return jdbc.sql(
            "select sent_at from messages where sender_id = ? and sent_at is not null"
                + " order by sent_at")
        .param(senderId)
        .query((rs, n) -> rs.getTimestamp(1).toInstant())
        .list();
  }

  private static Map<LocalDate, Long> perDay(List<Instant> sent) {
    Map<LocalDate, Long> days = new LinkedHashMap<>();
    sent.forEach(at -> days.merge(LocalDate.ofInstant(at, ZoneOffset.UTC), 1L, Long::sum));
    return days;
  }

  /** The next midnight (UTC) by the Temporal server's clock, which time-skipping runs ahead. */
  private static Instant nextUtcMidnight() {
    return LocalDate.ofInstant(serverNow(), ZoneOffset.UTC)
        .plusDays(1)
        .atStartOfDay()
        .toInstant(ZoneOffset.UTC);
  }

  private static Instant serverNow() {
    WorkflowServiceStubs workflows = service.bean(WorkflowServiceStubs.class);
    TestServiceStubs test =
        TestServiceStubs.newServiceStubs(
            TestServiceStubsOptions.newBuilder(workflows.getOptions())
                .validateAndBuildWithDefaults());
    try {
      var time = test.blockingStub().getCurrentTime(Empty.getDefaultInstance()).getTime();
      return Instant.ofEpochSecond(time.getSeconds(), time.getNanos());
    } finally {
      test.shutdown();
    }
  }

  private static List<String> fromAddresses(String mailbox) throws Exception {
    Store store = Session.getInstance(new Properties()).getStore("imap");
    store.connect("127.0.0.1", service.imapPort, mailbox, mailbox);
    try {
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      List<String> from = new ArrayList<>();
      for (Message message : inbox.getMessages()) {
        from.add(((InternetAddress) message.getFrom()[0]).getAddress());
      }
      return from;
    } finally {
      store.close();
    }
  }
}
