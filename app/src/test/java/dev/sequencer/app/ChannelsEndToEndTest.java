package dev.sequencer.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sequencer.app.ControlApiTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sequences that mix channels through the whole service on a time-skipping Temporal server: the
 * real send path, with WireMock playing Twilio's Messages API (SMS and WhatsApp) and a CRM
 * receiving webhook steps, the embedded GreenMail receiving email, and the in-app inbox read over
 * the API.
 */
class ChannelsEndToEndTest {

  private static final String MESSAGES_PATH = TwilioWebhookTest.MESSAGES_PATH;
  private static final String EVERY_DAY =
      "\"schedule\": {\"timezone\": \"UTC\", \"holiday_calendar\": null,"
          + " \"business_days\": [\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\",\"SAT\",\"SUN\"]}";

  private static WireMockServer twilio;
  private static WireMockServer crm;
  private static RunningService service;
  private final JsonMapper json = JsonMapper.builder().build();

  @BeforeAll
  static void start() {
    twilio = new WireMockServer(wireMockConfig().dynamicPort());
    twilio.start();
    twilio.stubFor(
        WireMock.post(urlPathEqualTo(MESSAGES_PATH))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json; charset=utf-8")
                    .withBody(
                        TwilioWebhookTest.createdMessage(
                            "SM" + "c".repeat(32), "+14155550170", "+14155550171"))));
    crm = new WireMockServer(wireMockConfig().dynamicPort());
    crm.start();
    crm.stubFor(
        WireMock.post(urlPathEqualTo("/crm/tasks")).willReturn(aResponse().withStatus(201)));
    List<String> arguments = new ArrayList<>(TwilioWebhookTest.twilioArguments(twilio));
    arguments.add("--sequencer.embedded.temporal-time-skipping=true");
    service = RunningService.start(arguments.toArray(String[]::new));
  }

  @AfterAll
  static void stop() {
    service.context.close();
    twilio.stop();
    crm.stop();
  }

  @Test
  void aSequenceByEmailThenSmsThenACrmWebhookRunsToItsEnd() throws Exception {
    String campaign =
        create(
            """
            {"name": "Three channels", "channel": "email",
             "sender": {"email": "ada.channels@acme.test", "name": "Ada", "phone": "+14155550170"},
             "steps": [
               {"type": "hook", "day": 0, "subject": "Idea for {{company}}",
                "body": "Hi {{first_name}}, a quick idea."},
               {"type": "proof", "day": 3, "channel": "sms",
                "body": "Hi {{first_name}}, the numbers: https://acme.test/proof"},
               {"type": "fomo", "day": 7, "channel": "webhook", "url": "%s/crm/tasks",
                "payload": {"title": "Call {{first_name}} at {{company}}",
                            "lead": {"email": "{{email}}"}, "priority": 2}}],
             %s}
            """
                .formatted(crm.baseUrl(), EVERY_DAY));
    JsonNode created = service.get("/api/v1/campaigns/" + campaign).json();
    assertThat(created.get("steps").valueStream().map(s -> s.get("channel").asString()).toList())
        .containsExactly("email", "sms", "webhook");
    importLead(
        campaign,
        "{\"lead_id\": \"grace\", \"email\": \"grace.channels@example.com\","
            + " \"phone\": \"+14155550171\", \"first_name\": \"Grace\", \"company\": \"Navy\","
            + " \"timezone\": \"UTC\"}");
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/start", "{}").status())
        .isEqualTo(202);

    JsonNode lead =
        await(
            () -> service.get("/api/v1/campaigns/" + campaign + "/leads/grace").json(),
            l -> "completed".equals(l.get("status").asString()));

    assertThat(lead.get("steps").valueStream().map(s -> s.get("status").asString()).toList())
        .containsExactly("sent", "sent", "sent");
    assertThat(lead.get("steps").valueStream().map(s -> s.get("channel").asString()).toList())
        .containsExactly("email", "sms", "webhook");
    assertThat(lead.get("messages").valueStream().map(m -> m.get("channel").asString()).toList())
        .containsExactly("email", "sms", "webhook");

    // The email, in the lead's mailbox.
    Store store = Session.getInstance(new Properties()).getStore("imap");
    store.connect(
        "127.0.0.1", service.imapPort, "grace.channels@example.com", "grace.channels@example.com");
    Folder inbox = store.getFolder("INBOX");
    inbox.open(Folder.READ_ONLY);
    assertThat(inbox.getMessageCount()).isEqualTo(1);
    assertThat(inbox.getMessage(1).getSubject()).isEqualTo("Idea for Navy");
    store.close();

    // The text, handed to Twilio once.
    List<LoggedRequest> texts = textsTo("%2B14155550171");
    assertThat(texts).hasSize(1);
    assertThat(texts.get(0).getBodyAsString())
        .contains("To=%2B14155550171", "From=%2B14155550170", "Body=Hi+Grace");

    // The CRM task, signed with the campaign's secret.
    List<LoggedRequest> tasks = crm.findAll(postRequestedFor(urlPathEqualTo("/crm/tasks")));
    assertThat(tasks).hasSize(1);
    LoggedRequest task = tasks.get(0);
    assertThat(json.readTree(task.getBodyAsString()))
        .isEqualTo(
            json.readTree(
                "{\"title\": \"Call Grace at Navy\","
                    + " \"lead\": {\"email\": \"grace.channels@example.com\"}, \"priority\": 2}"));
    String webhookMessage = lead.get("messages").get(2).get("message_id").asString();
    assertThat(task.getHeader("webhook-id")).isEqualTo(webhookMessage);
    String secret =
        service
            .get("/api/v1/campaigns/" + campaign + "/webhook-secret")
            .json()
            .get("secret")
            .asString();
    assertThat(task.getHeader("webhook-signature"))
        .isEqualTo(
            "v1,"
                + hmac(
                    Base64.getDecoder().decode(secret.substring("whsec_".length())),
                    webhookMessage
                        + "."
                        + task.getHeader("webhook-timestamp")
                        + "."
                        + task.getBodyAsString()));

    JsonNode byChannel =
        service.get("/api/v1/campaigns/" + campaign + "/metrics").json().get("by_channel");
    assertThat(byChannel.get("email").get("sent").asLong()).isEqualTo(1);
    assertThat(byChannel.get("sms").get("sent").asLong()).isEqualTo(1);
    assertThat(byChannel.get("webhook").get("sent").asLong()).isEqualTo(1);
  }

  @Test
  void inAppMessagesWaitInTheInboxAndAreDeliveredWhenFetchedAndOpenedWhenRead() throws Exception {
    String campaign =
        create(
            """
            {"name": "In-app", "channel": "in_app",
             "steps": [{"type": "hook", "day": 0, "title": "A note for {{first_name}}",
                        "body": "Your trial ends in {{days|three}} days."}],
             %s}
            """
                .formatted(EVERY_DAY));
    importLead(campaign, "{\"lead_id\": \"app-user-7\", \"first_name\": \"Ivy\"}");
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    String leadPath = "/api/v1/campaigns/" + campaign + "/leads/app-user-7";
    await(() -> service.get(leadPath).json(), l -> "completed".equals(l.get("status").asString()));

    JsonNode listed = service.get("/api/v1/inbox/app-user-7").json().get("messages");
    assertThat(listed.size()).isEqualTo(1);
    JsonNode message = listed.get(0);
    assertThat(message.get("title").asString()).isEqualTo("A note for Ivy");
    assertThat(message.get("body").asString()).isEqualTo("Your trial ends in three days.");
    assertThat(message.get("read_at").isNull()).isTrue();
    String messageId = message.get("message_id").asString();
    JsonNode fetched = service.get(leadPath).json();
    assertThat(fetched.get("messages").get(0).get("status").asString()).isEqualTo("delivered");
    assertThat(fetched.get("steps").get(0).get("status").asString()).isEqualTo("delivered");

    assertThat(service.post("/api/v1/inbox/app-user-7/" + messageId + "/read", "{}").status())
        .isEqualTo(204);
    assertThat(service.post("/api/v1/inbox/app-user-7/" + messageId + "/read", "{}").status())
        .isEqualTo(204);
    JsonNode read = service.get("/api/v1/inbox/app-user-7").json().get("messages").get(0);
    assertThat(read.get("read_at").isNull()).isFalse();
    JsonNode timeline = service.get(leadPath).json().get("timeline");
    assertThat(
            timeline.valueStream().filter(e -> e.get("event").asString().equals("opened")).count())
        .isEqualTo(1);
    JsonNode inApp =
        service
            .get("/api/v1/campaigns/" + campaign + "/metrics")
            .json()
            .get("by_channel")
            .get("in_app");
    assertThat(inApp.get("sent").asLong()).isEqualTo(1);
    assertThat(inApp.get("delivered").asLong()).isEqualTo(1);
    assertThat(inApp.get("opened").asLong()).isEqualTo(1);

    assertThat(service.post("/api/v1/inbox/app-user-7/msg_unknown/read", "{}").status())
        .isEqualTo(404);
    assertThat(service.get("/api/v1/inbox/nobody-known").status()).isEqualTo(404);
    assertThat(service.get("/api/v1/inbox/not%20an%20id").status()).isEqualTo(400);
  }

  @Test
  void aWhatsappStopOptsTheNumberOutOfWhatsappAndStopsTheSequence() throws Exception {
    String sender = "+14155550172";
    String number = "+14155550173";
    String campaign =
        create(
            """
            {"name": "WhatsApp", "channel": "whatsapp", "sender": {"phone": "%s"},
             "steps": [
               {"type": "hook", "day": 0, "content_sid": "HX0123456789abcdef0123456789abcdef",
                "content_variables": {"1": "{{first_name}}"}},
               {"type": "proof", "day": 3, "content_sid": "HX0123456789abcdef0123456789abcdef",
                "content_variables": {"1": "{{first_name}}"}}],
             %s}
            """
                .formatted(sender, EVERY_DAY));
    importLead(
        campaign,
        "{\"lead_id\": \"wes\", \"whatsapp\": \"%s\", \"first_name\": \"Wes\"}".formatted(number));
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    String leadPath = "/api/v1/campaigns/" + campaign + "/leads/wes";
    await(
        () -> service.get(leadPath).json(),
        l ->
            l.get("steps").size() > 0
                && "sent".equals(l.get("steps").get(0).get("status").asString()));
    List<LoggedRequest> sent = textsTo("whatsapp%3A%2B14155550173");
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).getBodyAsString())
        .contains(
            "To=whatsapp%3A%2B14155550173",
            "From=whatsapp%3A%2B14155550172", "ContentSid=HX0123456789abcdef0123456789abcdef")
        .doesNotContain("Body=");

    Map<String, String> stop = new LinkedHashMap<>();
    stop.put("MessageSid", "SM" + "d".repeat(32));
    stop.put("AccountSid", TwilioWebhookTest.ACCOUNT_SID);
    stop.put("From", "whatsapp:" + number);
    stop.put("To", "whatsapp:" + sender);
    stop.put("Body", "STOP");
    RunningService.Response answer = postSigned("/webhooks/twilio/sms", stop);
    assertThat(answer.status()).isEqualTo(200);

    JsonNode stopped =
        await(
            () -> service.get(leadPath).json(),
            l -> "skipped".equals(l.get("steps").get(1).get("status").asString()));
    assertThat(stopped.get("status").asString()).isEqualTo("opted_out");
    assertThat(stopped.get("steps").get(1).get("reason").asString()).isEqualTo("opted_out");
    assertThat(textsTo("whatsapp%3A%2B14155550173")).hasSize(1);
    JsonNode suppressions = service.get("/api/v1/suppressions?limit=500").json();
    assertThat(suppressions.toString()).contains(number);
    assertThat(
            service
                .bean(dev.sequencer.store.suppression.Suppressions.class)
                .sourceOf("org_default", "WHATSAPP", number))
        .contains("keyword");
    // Consent is per channel: the number's SMS is untouched.
    assertThat(
            service
                .bean(dev.sequencer.store.suppression.Suppressions.class)
                .isSuppressed("org_default", "SMS", number))
        .isFalse();
  }

  @Test
  void anAudienceOfContactsWithOnlyAWhatsappNumberIsReachedOnWhatsapp() throws Exception {
    String number = "+14155550174";
    RunningService.Response contact =
        service.post(
            "/api/v1/contacts",
            "[{\"contact_id\": \"wa-only\", \"whatsapp\": \"%s\", \"first_name\": \"Ona\"}]"
                .formatted(number));
    assertThat(contact.json().get("accepted").asInt()).as(contact.body()).isEqualTo(1);
    assertThat(service.get("/api/v1/contacts/wa-only").json().get("whatsapp").asString())
        .isEqualTo(number);
    RunningService.Response audience =
        service.post(
            "/api/v1/audiences",
            "{\"name\": \"WhatsApp only\", \"filter\": {\"all\": [{\"field\": \"whatsapp\","
                + " \"op\": \"eq\", \"value\": \"%s\"}]}}".formatted(number));
    assertThat(audience.status()).as(audience.body()).isEqualTo(201);
    String campaign =
        create(
            """
            {"name": "WhatsApp audience", "channel": "whatsapp", "sender": {"phone": "+14155550175"},
             "audience_id": "%s",
             "steps": [{"type": "hook", "day": 0, "content_sid": "HX0123456789abcdef0123456789abcdef",
                        "content_variables": {"1": "{{first_name}}"}}],
             %s}
            """
                .formatted(audience.json().get("audience_id").asString(), EVERY_DAY));
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");

    JsonNode lead =
        await(
            () -> service.get("/api/v1/campaigns/" + campaign + "/leads/wa-only").json(),
            l ->
                l.get("steps") != null
                    && l.get("steps").size() > 0
                    && "sent".equals(l.get("steps").get(0).get("status").asString()));
    assertThat(lead.get("whatsapp").asString()).isEqualTo(number);
    List<LoggedRequest> sent = textsTo("whatsapp%3A%2B14155550174");
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).getBodyAsString())
        .contains("ContentVariables=%7B%221%22%3A%22Ona%22%7D");
  }

  /** What was handed to Twilio for this (form-encoded) recipient. */
  private static List<LoggedRequest> textsTo(String to) {
    return twilio.findAll(postRequestedFor(urlPathEqualTo(MESSAGES_PATH))).stream()
        .filter(
            r ->
                r.getBodyAsString().contains("To=" + to + "&")
                    || r.getBodyAsString().endsWith("To=" + to))
        .toList();
  }

  private String create(String body) {
    RunningService.Response created = service.post("/api/v1/campaigns", body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("campaign_id").asString();
  }

  private void importLead(String campaign, String lead) {
    RunningService.Response imported =
        service.post("/api/v1/campaigns/" + campaign + "/leads", "[" + lead + "]");
    assertThat(imported.json().get("accepted").asInt()).as(imported.body()).isEqualTo(1);
  }

  private static RunningService.Response postSigned(String path, Map<String, String> params) {
    String form =
        params.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return service.send(
        service
            .request(path, null)
            .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
            .header(
                "X-Twilio-Signature",
                TwilioWebhookTest.signature(TwilioWebhookTest.PUBLIC_URL + path, params))
            .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  private static String hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
  }
}
