package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
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
  void aThousandLeadsSpreadEvenlyOverThePoolAndKeepTheirSender() throws Exception {
    String tag = tag();
    List<String> pool =
        List.of(sender(tag, "one", "{}"), sender(tag, "two", "{}"), sender(tag, "three", "{}"));
    String campaign =
        campaign(
            "Rotation " + tag,
            pool,
            """
            [{"type": "hook", "day": 0, "subject": "Quick idea", "body": "Hi"},
             {"type": "proof", "day": 1, "subject": "Proof", "body": "Proof"}]""",
            null);
    importLeads(campaign, "r" + tag, 1000);
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    // 2,000 sends through the relay: given more time than one lead's wait.
    Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
    while (!"completed"
        .equals(service.get("/api/v1/campaigns/" + campaign).json().get("status").asString())) {
      assertThat(Instant.now()).as("campaign completed in time").isBefore(deadline);
      Thread.sleep(250);
    }

    // 1000 = 3 x 333 + 1: in enrolment order each lead goes to the sender with the fewest so far,
    // the first of the pool on a tie, so the first sender gets the one left over.
    assertThat(leadsBySender(campaign))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(pool.get(0), 334L, pool.get(1), 333L, pool.get(2), 333L));
    // Sticky: both steps of every lead went out, each from the lead's own sender.
    assertThat(
            jdbc.sql(
                    "select count(*) from messages m join leads l on l.id = m.lead_pk"
                        + " where l.campaign_id = ? and m.sent_at is not null"
                        + " and m.sender_id = l.sender_id")
                .param(campaign)
                .query(Long.class)
                .single())
        .isEqualTo(2000);
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
    List<Instant> sent;
    ZoneId zone;
    String shared;
    // The server's clock stands still while the campaigns are set up: the sends start just after
    // midnight in the zone chosen for it, so the first day has its whole capacity.
    try (var frozen = TimeSkipping.locked(service)) {
      zone = zoneJustPastMidnight(frozen.now());
      shared =
          sender(
              tag,
              "shared",
              "{\"daily_limit\": 4, \"min_spacing_seconds\": 600, \"timezone\": \"" + zone + "\"}");
      String first = campaign("Race A " + tag, List.of(shared), hookOnly(), zone);
      String second = campaign("Race B " + tag, List.of(shared), hookOnly(), zone);
      importLeads(first, "a" + tag, 5);
      importLeads(second, "b" + tag, 5);
      CompletableFuture<?> a =
          CompletableFuture.runAsync(
              () -> service.post("/api/v1/campaigns/" + first + "/start", "{}"));
      CompletableFuture<?> b =
          CompletableFuture.runAsync(
              () -> service.post("/api/v1/campaigns/" + second + "/start", "{}"));
      CompletableFuture.allOf(a, b).join();
    }
    sent = ControlApiTest.await(() -> sentBy(shared), list -> list.size() == 10);

    // Ten hooks, at most four a day: 4, 4 and 2 on three consecutive days of the sender's zone.
    LocalDate day0 = LocalDate.ofInstant(sent.get(0), zone);
    assertThat(perDay(sent, zone))
        .containsExactly(
            Map.entry(day0, 4L), Map.entry(day0.plusDays(1), 4L), Map.entry(day0.plusDays(2), 2L));
    for (int i = 1; i < sent.size(); i++) {
      assertThat(Duration.between(sent.get(i - 1), sent.get(i)))
          .as("gap before send %d", i)
          .isGreaterThanOrEqualTo(Duration.ofSeconds(600));
    }
    assertThat(
            jdbc.sql(
                    "select count(distinct l.id) from lead_steps s join leads l on l.id = s.lead_pk"
                        + " where l.sender_id = ? and s.status = 'sent'")
                .param(shared)
                .query(Long.class)
                .single())
        .isEqualTo(10);
  }

  @Test
  void aNewMailboxRampsUpDayByDay() throws Exception {
    String tag = tag();
    ZoneId zone;
    String ramping;
    LocalDate rampFrom;
    try (var frozen = TimeSkipping.locked(service)) {
      zone = zoneJustPastMidnight(frozen.now());
      rampFrom = LocalDate.ofInstant(frozen.now(), zone);
      JsonNode registered =
          registered(
              tag,
              "ramp",
              "{\"daily_limit\": 10, \"ramp\": {\"start\": 2, \"increase_per_day\": 2,"
                  + " \"from\": \""
                  + rampFrom
                  + "\"}, \"timezone\": \""
                  + zone
                  + "\"}");
      ramping = registered.get("sender_id").asString();
      assertThat(registered.get("ramp").get("from").asString()).isEqualTo(rampFrom.toString());
      assertThat(registered.get("limit_today").asInt()).isEqualTo(2);
      String campaign = campaign("Ramp " + tag, List.of(ramping), hookOnly(), zone);
      importLeads(campaign, "p" + tag, 14);
      service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    }
    List<Instant> sent = ControlApiTest.await(() -> sentBy(ramping), list -> list.size() == 14);

    // Day 0 of the ramp allows 2, then 2 + 2 = 4, then 6, then 8 (only 2 leads are left).
    assertThat(perDay(sent, zone))
        .containsExactly(
            Map.entry(rampFrom, 2L),
            Map.entry(rampFrom.plusDays(1), 4L),
            Map.entry(rampFrom.plusDays(2), 6L),
            Map.entry(rampFrom.plusDays(3), 2L));
  }

  /**
   * Zones without daylight saving time by their offset from UTC in hours, -9 to +14: a lead's or
   * sender's zone must be a place's zone, so the fixed {@code Etc/GMT} zones do not do.
   */
  private static final Map<Integer, String> ZONE_BY_OFFSET =
      Map.ofEntries(
          Map.entry(-9, "Pacific/Gambier"),
          Map.entry(-8, "Pacific/Pitcairn"),
          Map.entry(-7, "America/Phoenix"),
          Map.entry(-6, "America/Regina"),
          Map.entry(-5, "America/Panama"),
          Map.entry(-4, "America/La_Paz"),
          Map.entry(-3, "America/Argentina/Buenos_Aires"),
          Map.entry(-2, "America/Noronha"),
          Map.entry(-1, "Atlantic/Cape_Verde"),
          Map.entry(0, "Africa/Abidjan"),
          Map.entry(1, "Africa/Lagos"),
          Map.entry(2, "Africa/Maputo"),
          Map.entry(3, "Africa/Nairobi"),
          Map.entry(4, "Asia/Dubai"),
          Map.entry(5, "Asia/Tashkent"),
          Map.entry(6, "Asia/Dhaka"),
          Map.entry(7, "Asia/Bangkok"),
          Map.entry(8, "Asia/Singapore"),
          Map.entry(9, "Asia/Tokyo"),
          Map.entry(10, "Australia/Brisbane"),
          Map.entry(11, "Pacific/Guadalcanal"),
          Map.entry(12, "Pacific/Tarawa"),
          Map.entry(13, "Pacific/Fakaofo"),
          Map.entry(14, "Pacific/Kiritimati"));

  /** A zone in which {@code now} lies in the first hour of a day. */
  static ZoneId zoneJustPastMidnight(Instant now) {
    int hour = now.atZone(ZoneOffset.UTC).getHour();
    int ahead = (24 - hour) % 24;
    if (ahead > 14) {
      ahead -= 24;
    }
    ZoneId zone = ZoneId.of(ZONE_BY_OFFSET.get(ahead));
    assertThat(now.atZone(zone).getHour()).as("local hour in %s", zone).isZero();
    return zone;
  }

  private static void importLeads(String campaign, String prefix, int count) {
    StringBuilder leads = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      leads
          .append(i == 0 ? "" : ",")
          .append("{\"lead_id\": \"")
          .append(prefix)
          .append('-')
          .append(i)
          .append("\", \"email\": \"")
          .append(prefix)
          .append(i)
          .append("@example.com\"}");
    }
    RunningService.Response imported =
        service.post("/api/v1/campaigns/" + campaign + "/leads", leads + "]");
    assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
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

  private static String campaign(String name, List<String> pool, String steps, ZoneId zone) {
    RunningService.Response created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "%s", "channel": "email", "senders": [%s],
             "steps": %s,
             "schedule": {"timezone": "%s", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
            """
                .formatted(
                    name,
                    String.join(", ", pool.stream().map(id -> "\"" + id + "\"").toList()),
                    steps,
                    zone == null ? "UTC" : zone.getId()));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("campaign_id").asString();
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

  private static Map<LocalDate, Long> perDay(List<Instant> sent, ZoneId zone) {
    Map<LocalDate, Long> days = new LinkedHashMap<>();
    sent.forEach(at -> days.merge(LocalDate.ofInstant(at, zone), 1L, Long::sum));
    return days;
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
