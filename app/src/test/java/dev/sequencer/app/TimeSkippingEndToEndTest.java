package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The whole service on a time-skipping Temporal test server: business-day timers fire as soon as
 * nothing else runs, so full sequences finish in seconds, through HTTP, the worker, SMTP and IMAP.
 */
class TimeSkippingEndToEndTest {

  private static RunningService service;

  @BeforeAll
  static void start() {
    service = RunningService.start("--sequencer.embedded.temporal-time-skipping=true");
  }

  @AfterAll
  static void stop() {
    service.context.close();
  }

  @Test
  void aFullEmailSequenceArrivesInTheMailbox() throws Exception {
    String campaign = service.createOpenEmailCampaign("Full sequence");
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"full-1\", \"email\": \"full.sequence@example.com\", \"first_name\": \"Flo\","
            + " \"company\": \"Initech\"}]");
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");

    JsonNode lead =
        ControlApiTest.await(
            () -> service.get("/api/v1/campaigns/" + campaign + "/leads/full-1").json(),
            l -> "completed".equals(l.get("status").asString()));
    List<Instant> sent = new ArrayList<>();
    lead.get("steps").forEach(s -> sent.add(Instant.parse(s.get("sent_at").asString())));
    // Sent when the timer fired: the planned instant and the time the send took.
    assertThat(Duration.between(sent.get(0), sent.get(1)))
        .isBetween(Duration.ofDays(3), Duration.ofDays(3).plusSeconds(2));
    assertThat(Duration.between(sent.get(0), sent.get(2)))
        .isBetween(Duration.ofDays(7), Duration.ofDays(7).plusSeconds(2));

    // Every lead has finished: within an hour (skipped) the run marks the campaign completed.
    ControlApiTest.await(
        () -> service.get("/api/v1/campaigns/" + campaign).json().get("status").asString(),
        "completed"::equals);

    List<String> subjects = new ArrayList<>();
    Store store = Session.getInstance(new Properties()).getStore("imap");
    store.connect(
        "127.0.0.1", service.imapPort, "full.sequence@example.com", "full.sequence@example.com");
    Folder inbox = store.getFolder("INBOX");
    inbox.open(Folder.READ_ONLY);
    for (Message message : inbox.getMessages()) {
      subjects.add(message.getSubject());
    }
    store.close();
    assertThat(subjects).containsExactly("Quick idea for Initech", "Proof", "Last call");
  }

  @Test
  void twoHundredLeadsAgainstADailyLimitOf125() throws Exception {
    var created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "Daily limit", "channel": "email", "sender": {"email": "ada@acme.test"},
             "steps": [{"type": "hook", "day": 0, "subject": "Hi", "body": "Hello"}],
             "limits": {"daily_limit": 125},
             "schedule": {"timezone": "UTC", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
            """);
    String campaign = created.json().get("campaign_id").asString();
    StringBuilder leads = new StringBuilder("lead_id,email\n");
    for (int i = 0; i < 200; i++) {
      leads.append("limit-").append(i).append(",limit").append(i).append("@example.com\n");
    }
    assertThat(
            service
                .postCsv("/api/v1/campaigns/" + campaign + "/leads", leads.toString())
                .json()
                .get("accepted")
                .asInt())
        .isEqualTo(200);
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");

    JdbcClient jdbc = service.bean(JdbcClient.class);
    ControlApiTest.await(
        () ->
            jdbc.sql("select count(*) from leads where campaign_id = ? and status = 'COMPLETED'")
                .param(campaign)
                .query(Long.class)
                .single(),
        n -> n == 200);
    List<Instant> sentAt =
        jdbc.sql("select sent_at from messages where campaign_id = ? and status = 'SENT'")
            .param(campaign)
            .query(Instant.class)
            .list();
    TreeMap<LocalDate, Long> perDay =
        sentAt.stream()
            .collect(
                Collectors.groupingBy(
                    at -> LocalDate.ofInstant(at, ZoneOffset.UTC),
                    TreeMap::new,
                    Collectors.counting()));
    assertThat(perDay.values()).containsExactly(125L, 75L);
    assertThat(perDay.firstKey().plusDays(1)).isEqualTo(perDay.lastKey());
    long deferred =
        jdbc.sql(
                "select count(*) from lead_events where campaign_id = ? and event = 'deferred'"
                    + " and detail like 'daily_limit%'")
            .param(campaign)
            .query(Long.class)
            .single();
    assertThat(deferred).isEqualTo(75);
  }
}
