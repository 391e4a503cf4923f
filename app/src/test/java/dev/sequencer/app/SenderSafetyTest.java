package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.SignatureRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Deliverability safety through the running service: a spam complaint (an ARF report in the
 * sender's mailbox) suppresses the address and pauses the campaign at its threshold, a paused
 * sender holds its leads until a person resumes it, and a sender's DKIM key signs what it sends,
 * checked by an independent verifier against the public key.
 */
class SenderSafetyTest {

  private final RunningService service = RunningService.get();

  @Test
  void aComplaintSuppressesTheAddressAndAutoPausesTheCampaign() throws Exception {
    String tag = tag();
    String sender = sender("fbl@" + tag + ".test", "");
    String campaign =
        campaign(
            "Complaints " + tag,
            sender,
            "\"auto_pause\": {\"bounce_rate\": 0.5, \"complaint_rate\": 0.001, \"min_sent\": 2}");
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"c-1\", \"email\": \"one."
            + tag
            + "@example.com\"}, {\"lead_id\": \"c-2\", \"email\": \"two."
            + tag
            + "@example.com\"}, {\"lead_id\": \"c-3\", \"email\": \"three."
            + tag
            + "@example.com\"}]");
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    for (String lead : List.of("c-1", "c-2", "c-3")) {
      ControlApiTest.await(
          () -> service.get("/api/v1/campaigns/" + campaign + "/leads/" + lead).json(),
          l -> l.get("messages").size() == 1 && !l.get("messages").get(0).get("sent_at").isNull());
    }
    JsonNode complained = service.get("/api/v1/campaigns/" + campaign + "/leads/c-1").json();
    String messageId = complained.get("messages").get(0).get("provider_message_id").asString();

    TestMail.feedbackReport(
        service.smtpPort,
        "fbl@" + tag + ".test",
        "abuse",
        "one." + tag + "@example.com",
        messageId);

    JsonNode paused =
        ControlApiTest.await(
            () -> service.get("/api/v1/campaigns/" + campaign).json(),
            c -> "paused".equals(c.get("status").asString()));
    // 1 complaint of 3 sent = 33.33 %, at least 0.1 %, once 2 went out.
    String reason =
        "auto-paused: complaint rate 33.33 % (1 of 3 sent) reached the threshold of 0.1 %";
    assertThat(paused.get("pause_reason").asString()).isEqualTo(reason);
    assertThat(
            service
                .get("/api/v1/campaigns/" + campaign + "/metrics")
                .json()
                .get("pause_reason")
                .asString())
        .isEqualTo(reason);
    JsonNode lead = service.get("/api/v1/campaigns/" + campaign + "/leads/c-1").json();
    assertThat(lead.get("status").asString()).isEqualTo("opted_out");
    assertThat(service.get("/api/v1/suppressions?channel=email&q=one." + tag).body())
        .contains("complaint");
    assertThat(
            service
                .get("/api/v1/campaigns/" + campaign + "/leads/c-2")
                .json()
                .get("status")
                .asString())
        .isEqualTo("paused");

    // Only a person lifts it.
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/resume", "{}").status())
        .isEqualTo(202);
    JsonNode resumed = service.get("/api/v1/campaigns/" + campaign).json();
    assertThat(resumed.get("status").asString()).isEqualTo("running");
    assertThat(resumed.get("pause_reason").isNull()).isTrue();
  }

  @Test
  void aPausedSendersLeadsWaitUntilItIsResumed() throws Exception {
    String tag = tag();
    String sender = sender("held@" + tag + ".test", "");
    assertThat(
            service
                .post("/api/v1/senders/" + sender + "/pause", "{\"reason\": \"warming up DNS\"}")
                .json()
                .get("status")
                .asString())
        .isEqualTo("paused");
    String campaign = campaign("Held " + tag, sender, null);
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"h-1\", \"email\": \"held." + tag + "@example.com\"}]");
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");

    JsonNode waiting =
        ControlApiTest.await(
            () -> service.get("/api/v1/campaigns/" + campaign + "/leads/h-1").json(),
            l ->
                l.get("steps").size() > 0
                    && "sender_paused".equals(l.get("steps").get(0).get("reason").asString()));
    assertThat(waiting.get("messages")).isEmpty();
    assertThat(waiting.get("status").asString()).isEqualTo("active");

    service.post("/api/v1/senders/" + sender + "/resume", "{}");

    JsonNode sent =
        ControlApiTest.await(
            () -> service.get("/api/v1/campaigns/" + campaign + "/leads/h-1").json(),
            l -> "sent".equals(l.get("steps").get(0).get("status").asString()));
    assertThat(sent.get("messages").get(0).get("sender_id").asString()).isEqualTo(sender);
  }

  @Test
  void aSendersDkimKeySignsItsMailAsAnIndependentVerifierChecks() throws Exception {
    String tag = tag();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair key = generator.generateKeyPair();
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(key.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    String sender =
        sender(
            "signed@mail." + tag + ".test",
            ", \"dkim\": {\"domain\": \""
                + tag
                + ".test\", \"selector\": \"s1\", \"private_key_pem\": \""
                + pem.replace("\n", "\\n")
                + "\"}");
    String campaign = campaign("Signed " + tag, sender, null);
    String recipient = "signed." + tag + "@example.com";
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"d-1\", \"email\": \"" + recipient + "\"}]");
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    ControlApiTest.await(() -> raw(recipient), r -> r != null);

    // The public key's record as the DNS would publish it, made here from the key pair.
    String record =
        "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getPublic().getEncoded());
    DKIMVerifier verifier =
        new DKIMVerifier(
            (method, selector, domain) ->
                selector.equals("s1") && domain.equals(tag + ".test") ? List.of(record) : null);
    List<SignatureRecord> valid = verifier.verify(new ByteArrayInputStream(raw(recipient)));

    assertThat(valid).hasSize(1);
    assertThat(valid.get(0).getDToken().toString()).isEqualTo(tag + ".test");
    assertThat(valid.get(0).getHeaderCanonicalisationMethod().toString()).isEqualTo("relaxed");
    assertThat(valid.get(0).getBodyCanonicalisationMethod().toString()).isEqualTo("relaxed");
  }

  private static String tag() {
    return "t" + UUID.randomUUID().toString().substring(0, 8);
  }

  private String sender(String email, String settings) {
    RunningService.Response created =
        service.post(
            "/api/v1/senders",
            "{\"channel\": \"email\", \"email\": \""
                + email
                + "\", \"name\": \"Ada\""
                + settings
                + "}");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("sender_id").asString();
  }

  private String campaign(String name, String sender, String extra) {
    RunningService.Response created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "%s", "channel": "email", "senders": ["%s"],
             "steps": [
               {"type": "hook", "day": 0, "subject": "Quick idea", "body": "Hi {{first_name|there}}"},
               {"type": "proof", "day": 3, "subject": "Proof", "body": "Proof"}],
             "schedule": {"timezone": "UTC", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}%s}
            """
                .formatted(name, sender, extra == null ? "" : ", " + extra));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("campaign_id").asString();
  }

  /** The first message in the mailbox, as the bytes the relay delivered, or null. */
  private byte[] raw(String mailbox) {
    try {
      Store store = Session.getInstance(new Properties()).getStore("imap");
      store.connect("127.0.0.1", service.imapPort, mailbox, mailbox);
      try {
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        Message[] messages = inbox.getMessages();
        if (messages.length == 0) {
          return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        messages[0].writeTo(out);
        return out.toByteArray();
      } finally {
        store.close();
      }
    } catch (Exception e) {
      return null;
    }
  }
}
