package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
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

  /**
   * Follow-ups without a subject go out as replies in the hook's thread: "Re: " and the hook's
   * subject as it went out, In-Reply-To and References carrying the hook's Message-ID, read back
   * over IMAP as a mail client would.
   */
  @Test
  void followUpsWithoutASubjectReplyInTheHooksThread() throws Exception {
    var created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "Threaded", "channel": "email",
             "sender": {"email": "ada@acme.test", "name": "Ada Lovelace"},
             "steps": [
               {"type": "hook", "day": 0, "subject": "Quick idea for {{company|your team}}",
                "body": "Hi {{first_name|there}}"},
               {"type": "proof", "day": 3, "body": "Following up"},
               {"type": "fomo", "day": 7, "subject": "", "body": "Last call"}],
             "schedule": {"timezone": "UTC", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
            """);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String campaign = created.json().get("campaign_id").asString();
    assertThat(created.json().get("steps").get(1).get("subject").isNull()).isTrue();
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"thread-1\", \"email\": \"threaded@example.com\","
            + " \"first_name\": \"Tess\", \"company\": \"Globex\"}]");
    JsonNode preview =
        service
            .post(
                "/api/v1/campaigns/" + campaign + "/preview",
                "{\"lead\": {\"email\": \"p@example.com\", \"company\": \"Globex\"}}")
            .json();
    assertThat(preview.get("steps").get(1).get("subject").asString())
        .isEqualTo("Re: Quick idea for Globex");
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    ControlApiTest.await(
        () -> service.get("/api/v1/campaigns/" + campaign + "/leads/thread-1").json(),
        l -> "completed".equals(l.get("status").asString()));

    Store store = Session.getInstance(new Properties()).getStore("imap");
    store.connect("127.0.0.1", service.imapPort, "threaded@example.com", "threaded@example.com");
    Folder inbox = store.getFolder("INBOX");
    inbox.open(Folder.READ_ONLY);
    Message[] received = inbox.getMessages();
    assertThat(received).hasSize(3);
    String hookId = received[0].getHeader("Message-ID")[0];
    assertThat(received[0].getSubject()).isEqualTo("Quick idea for Globex");
    assertThat(received[0].getHeader("In-Reply-To")).isNull();
    for (Message followUp : List.of(received[1], received[2])) {
      assertThat(followUp.getSubject()).isEqualTo("Re: Quick idea for Globex");
      assertThat(followUp.getHeader("In-Reply-To")).containsExactly(hookId);
      assertThat(followUp.getHeader("References")).containsExactly(hookId);
      assertThat(followUp.getHeader("Message-ID")[0]).isNotEqualTo(hookId);
    }
    store.close();
  }

  /**
   * A campaign's pause is one commit: every lead shows it at once, a lead enrolled during it is
   * enrolled paused, steps that fall due wait (recorded as such), and the resume wakes exactly
   * those leads, which then finish their sequences with nothing lost or sent twice.
   */
  @Test
  void aCampaignPauseHoldsEveryLeadAndItsResumeWakesTheOnesWaiting() throws Exception {
    String campaign = service.createOpenEmailCampaign("Paused campaign");
    String leads = "/api/v1/campaigns/" + campaign + "/leads";
    service.post(
        leads,
        "[{\"lead_id\": \"pz-1\", \"email\": \"pz1@example.com\"},"
            + " {\"lead_id\": \"pz-2\", \"email\": \"pz2@example.com\"}]");
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    for (String id : List.of("pz-1", "pz-2")) {
      ControlApiTest.await(() -> service.get(leads + "/" + id).json(), l -> stepIs(l, 0, "sent"));
    }

    assertThat(service.post("/api/v1/campaigns/" + campaign + "/pause", "{}").status())
        .isEqualTo(202);
    for (String id : List.of("pz-1", "pz-2")) {
      JsonNode lead = service.get(leads + "/" + id).json();
      assertThat(lead.get("status").asString()).isEqualTo("paused");
      assertThat(lead.get("timeline").toString()).contains("campaign paused");
    }
    service.post(leads, "[{\"lead_id\": \"pz-3\", \"email\": \"pz3@example.com\"}]");
    // Enrolled while paused: paused, and its hook waits once due.
    JsonNode late =
        ControlApiTest.await(() -> service.get(leads + "/pz-3").json(), l -> waitsOnPause(l, 0));
    assertThat(late.get("status").asString()).isEqualTo("paused");
    // The proofs fall due during the pause (skipped time) and wait too.
    for (String id : List.of("pz-1", "pz-2")) {
      ControlApiTest.await(() -> service.get(leads + "/" + id).json(), l -> waitsOnPause(l, 1));
    }
    JdbcClient jdbc = service.bean(JdbcClient.class);
    assertThat(messagesOf(jdbc, campaign)).isEqualTo(2);

    assertThat(service.post("/api/v1/campaigns/" + campaign + "/resume", "{}").status())
        .isEqualTo(202);
    for (String id : List.of("pz-1", "pz-2", "pz-3")) {
      JsonNode done =
          ControlApiTest.await(
              () -> service.get(leads + "/" + id).json(),
              l -> "completed".equals(l.get("status").asString()));
      done.get("steps")
          .forEach(step -> assertThat(step.get("status").asString()).isEqualTo("sent"));
    }
    assertThat(messagesOf(jdbc, campaign)).isEqualTo(9);
    assertThat(
            jdbc.sql(
                    "select count(distinct (lead_pk, step_type)) from messages where campaign_id = ?")
                .param(campaign)
                .query(Long.class)
                .single())
        .isEqualTo(9);
  }

  private static boolean stepIs(JsonNode lead, int position, String status) {
    JsonNode steps = lead.get("steps");
    return steps.size() > position && status.equals(steps.get(position).get("status").asString());
  }

  private static boolean waitsOnPause(JsonNode lead, int position) {
    JsonNode steps = lead.get("steps");
    return steps.size() > position
        && "scheduled".equals(steps.get(position).get("status").asString())
        && "paused".equals(steps.get(position).path("reason").asString(""))
        && steps.get(position).path("scheduled_at").isNull();
  }

  private static long messagesOf(JdbcClient jdbc, String campaign) {
    return jdbc.sql("select count(*) from messages where campaign_id = ? and status = 'SENT'")
        .param(campaign)
        .query(Long.class)
        .single();
  }
}
