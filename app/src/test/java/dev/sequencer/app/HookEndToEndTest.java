package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Create a campaign over HTTP, enrol leads, start it, and read the hook from the IMAP mailbox. */
class HookEndToEndTest {

  private final RunningService service = RunningService.get();

  @Test
  void theHookTravelsThroughSmtpAndIsReadOverImap() throws Exception {
    String campaign = service.createOpenEmailCampaign("End to end");
    var imported =
        service.post(
            "/api/v1/campaigns/" + campaign + "/leads",
            """
            [{"lead_id": "e2e-1", "email": "grace.e2e@example.com", "first_name": "Grace",
              "company": "Navy", "timezone": "America/Chicago"},
             {"lead_id": "e2e-2", "email": "alan.e2e@example.com"}]
            """);
    assertThat(imported.json().get("accepted").asInt()).isEqualTo(2);

    var started = service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    assertThat(started.status()).isEqualTo(202);
    assertThat(started.json().get("workflow_id").asString()).isEqualTo("campaign-" + campaign);

    JsonNode lead = awaitHookSent(campaign, "e2e-1");
    JsonNode hook = lead.get("steps").get(0);
    assertThat(hook.get("type").asString()).isEqualTo("hook");
    assertThat(hook.get("status").asString()).isEqualTo("sent");
    assertThat(Instant.parse(hook.get("sent_at").asString()))
        .isBefore(Instant.now().plusSeconds(1));
    assertThat(lead.get("status").asString()).isEqualTo("active");
    assertThat(lead.get("workflow_id").asString()).isEqualTo("lead-" + campaign + "-e2e-1");
    // Later steps are planned from the hook's send date at the same local time, once the workflow
    // has heard that the hook went out.
    // Three days on (every day is a business day here) at the hook's local time in Chicago: not
    // always 72 hours, since a daylight-saving change may fall in between. A local time that does
    // not exist that day (the spring-forward gap) moves forward, by at most the gap.
    Instant sentAt = Instant.parse(hook.get("sent_at").asString());
    ZoneId chicago = ZoneId.of("America/Chicago");
    LocalDateTime proofLocal = LocalDateTime.ofInstant(sentAt, chicago).plusDays(3);
    boolean inGap = chicago.getRules().getValidOffsets(proofLocal).isEmpty();
    Instant proofAt = ZonedDateTime.of(proofLocal, chicago).toInstant();
    ControlApiTest.await(
        () -> service.get("/api/v1/campaigns/" + campaign + "/leads/e2e-1").json(),
        l -> {
          Instant planned = Instant.parse(l.get("steps").get(1).get("scheduled_at").asString());
          return inGap
              ? !planned.isBefore(proofAt.minus(Duration.ofHours(1))) && !planned.isAfter(proofAt)
              : planned.equals(proofAt);
        });
    String messageIdHeader = lead.get("messages").get(0).get("provider_message_id").asString();

    Message mail = readSingleMessage("grace.e2e@example.com");
    assertThat(mail.getSubject()).isEqualTo("Quick idea for Navy");
    assertThat(mail.getHeader("Message-ID")[0]).isEqualTo(messageIdHeader);
    assertThat(mail.getFrom()[0].toString()).contains("Ada Lovelace").contains("ada@acme.test");
    MimeMultipart parts = (MimeMultipart) mail.getContent();
    assertThat(textOf(parts)).contains("Hi Grace,").contains("An idea for Navy.");

    awaitHookSent(campaign, "e2e-2");
    assertThat(readSingleMessage("alan.e2e@example.com").getSubject())
        .isEqualTo("Quick idea for your team");
  }

  private JsonNode awaitHookSent(String campaign, String leadId) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      JsonNode lead = service.get("/api/v1/campaigns/" + campaign + "/leads/" + leadId).json();
      JsonNode steps = lead.get("steps");
      if (steps.size() > 0 && "sent".equals(steps.get(0).get("status").asString())) {
        return lead;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("hook of " + leadId + " was not sent within 60 s");
  }

  private Message readSingleMessage(String address) throws Exception {
    Properties properties = new Properties();
    Session session = Session.getInstance(properties);
    Store store = session.getStore("imap");
    store.connect("127.0.0.1", service.imapPort, address, address);
    Folder inbox = store.getFolder("INBOX");
    inbox.open(Folder.READ_ONLY);
    assertThat(inbox.getMessageCount()).isEqualTo(1);
    Message message = inbox.getMessage(1);
    // Read everything before the folder closes.
    message.getContent();
    return new jakarta.mail.internet.MimeMessage((jakarta.mail.internet.MimeMessage) message);
  }

  private static String textOf(MimeMultipart multipart) throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < multipart.getCount(); i++) {
      Object content = multipart.getBodyPart(i).getContent();
      if (content instanceof MimeMultipart nested) {
        text.append(textOf(nested));
      } else if (multipart.getBodyPart(i).isMimeType("text/plain")) {
        text.append(content);
      }
    }
    return text.toString();
  }
}
