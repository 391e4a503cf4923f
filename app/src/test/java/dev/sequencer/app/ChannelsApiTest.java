package dev.sequencer.app;

import static dev.sequencer.app.ControlApiTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.suppression.Suppressions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Campaigns whose steps name channels of their own, over the API of the shared embedded service:
 * what is refused (naming the field, creating nothing), what a lead of such a campaign needs, the
 * channels frozen once started, and an email bounce that leaves the lead's other channels going.
 */
class ChannelsApiTest {

  private static final String EVERY_DAY =
      "\"schedule\": {\"timezone\": \"UTC\", \"holiday_calendar\": null,"
          + " \"business_days\": [\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\",\"SAT\",\"SUN\"]}";
  private static final String SID = "HX0123456789abcdef0123456789abcdef";

  private final RunningService service = RunningService.get();

  @Test
  void invalidChannelPartsAreRefusedNamingTheFieldAndCreateNothing() {
    assertRefused(
        steps("{\"type\": \"hook\", \"day\": 0, \"channel\": \"pigeon\", \"body\": \"Hi\"}"),
        "steps[0].channel");
    assertRefused(
        steps("{\"type\": \"hook\", \"day\": 0, \"channel\": \"whatsapp\", \"body\": \"Hi\"}"),
        "steps[0].content_sid");
    assertRefused(
        steps(
            "{\"type\": \"hook\", \"day\": 0, \"channel\": \"whatsapp\", \"content_sid\":"
                + " \"HX12\"}"),
        "steps[0].content_sid");
    assertRefused(
        steps(
            "{\"type\": \"hook\", \"day\": 0, \"channel\": \"whatsapp\", \"content_sid\": \""
                + SID
                + "\", \"content_variables\": {\"1\": \"{{shoe_size}}\"}}"),
        "steps[0].content_variables.1");
    assertRefused(
        steps("{\"type\": \"hook\", \"day\": 0, \"channel\": \"webhook\", \"payload\": {}}"),
        "steps[0].url");
    assertRefused(
        steps(
            "{\"type\": \"hook\", \"day\": 0, \"channel\": \"webhook\", \"url\":"
                + " \"ftp://crm.example.com\", \"payload\": {\"a\": 1}}"),
        "steps[0].url");
    assertRefused(
        steps(
            "{\"type\": \"hook\", \"day\": 0, \"channel\": \"webhook\", \"url\":"
                + " \"https://crm.example.com/t\", \"payload\": [1, 2]}"),
        "steps[0].payload");
    assertRefused(
        steps(
            "{\"type\": \"hook\", \"day\": 0, \"channel\": \"webhook\", \"url\":"
                + " \"https://crm.example.com/t\", \"payload\": {\"who\": \"{{nope}}\"}}"),
        "steps[0].payload.who");
    assertRefused(
        steps(
            "{\"type\": \"hook\", \"day\": 0, \"subject\": \"S\", \"body\": \"B\","
                + " \"fallback\": [\"sms\", \"sms\"]}"),
        "steps[0].fallback[1]");
    assertRefused(
        steps(
            "{\"type\": \"hook\", \"day\": 0, \"subject\": \"S\", \"body\": \"B\"},"
                + " {\"type\": \"proof\", \"day\": 2, \"channel\": \"sms\", \"subject\": \"no\","
                + " \"body\": \"B\"}"),
        "steps[1].subject");
    // A follow-up without a subject answers the hook's email thread: a texted hook has none.
    assertRefused(
        """
        {"name": "Refused", "channel": "sms", "sender": {"email": "ada.refused@acme.test",
         "phone": "+14155550185"},
         "steps": [{"type": "hook", "day": 0, "body": "Hi"},
                   {"type": "proof", "day": 2, "channel": "email", "body": "B"}], %s}
        """
            .formatted(EVERY_DAY),
        "steps[1].subject");
    // A step that texts needs a window with texting hours in it.
    assertRefused(
        """
        {"name": "Refused", "channel": "email", "sender": {"email": "ada.refused@acme.test",
         "phone": "+14155550185"},
         "steps": [{"type": "hook", "day": 0, "subject": "S", "body": "Hi"},
                   {"type": "proof", "day": 2, "channel": "sms", "body": "B"}],
         "schedule": {"timezone": "UTC", "send_window": {"start": "05:00", "end": "07:30"}}}
        """,
        "schedule.send_window");
    // An SMS step needs the sender's number.
    RunningService.Response noPhone =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "No phone", "channel": "email", "sender": {"email": "ada.nophone@acme.test"},
             "steps": [{"type": "hook", "day": 0, "subject": "S", "body": "B"},
                       {"type": "proof", "day": 2, "channel": "sms", "body": "B"}], %s}
            """
                .formatted(EVERY_DAY));
    assertThat(noPhone.status()).isEqualTo(400);
    assertThat(fields(noPhone)).contains("sender.phone");
  }

  @Test
  void leadsOfAMixedCampaignNeedAnAddressOnOneOfItsChannels() {
    String campaign = mixedCampaign("Mixed leads", "ada.mixedleads@acme.test", "+14155550180");
    RunningService.Response imported =
        service.post(
            "/api/v1/campaigns/" + campaign + "/leads",
            """
            [{"lead_id": "only-phone", "phone": "+14155550181"},
             {"lead_id": "only-email", "email": "only.email@example.com"},
             {"lead_id": "nothing", "first_name": "Nobody"},
             {"lead_id": "bad-whatsapp", "email": "bw@example.com", "whatsapp": "not a number"}]
            """);
    JsonNode answer = imported.json();
    assertThat(answer.get("accepted").asInt()).as(imported.body()).isEqualTo(2);
    assertThat(answer.get("rejected").valueStream().map(r -> r.get("index").asInt()).toList())
        .containsExactly(2, 3);
    assertThat(answer.get("rejected").get(1).get("errors").get(0).get("field").asString())
        .isEqualTo("whatsapp");
  }

  @Test
  void aStartedCampaignsStepChannelsAreFrozenButItsCopyIsNot() {
    String campaign = mixedCampaign("Frozen channels", "ada.frozen@acme.test", "+14155550182");
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"f1\", \"email\": \"f1@example.com\"}]");
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/start", "{}").status())
        .isEqualTo(202);

    RunningService.Response moved =
        service.patch(
            "/api/v1/campaigns/" + campaign,
            """
            {"steps": [{"type": "hook", "day": 0, "subject": "Hello", "body": "Hi"},
                       {"type": "proof", "day": 3, "channel": "email", "subject": "P",
                        "body": "Proof"}]}
            """);
    assertThat(moved.status()).as(moved.body()).isEqualTo(409);
    assertThat(fields(moved)).contains("steps[1].channel");

    RunningService.Response copy =
        service.patch(
            "/api/v1/campaigns/" + campaign,
            """
            {"steps": [{"type": "hook", "day": 0, "subject": "Hello again", "body": "Hi"},
                       {"type": "proof", "day": 3, "channel": "sms", "fallback": ["email"],
                        "body": "New proof"}]}
            """);
    assertThat(copy.status()).as(copy.body()).isEqualTo(200);
    assertThat(copy.json().get("steps").get(1).get("body").asString()).isEqualTo("New proof");
    assertThat(copy.json().get("steps").get(1).get("fallback").get(0).asString())
        .isEqualTo("email");
  }

  @Test
  void aPermanentBounceInAMixedCampaignLeavesTheLeadGoingOnItsOtherChannels() throws Exception {
    String sender = "ada.mixedbounce@acme.test";
    String campaign = mixedCampaign("Mixed bounce", sender, "+14155550183");
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"mb\", \"email\": \"mixed.bounce@example.com\","
            + " \"phone\": \"+14155550184\"}]");
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    String leadPath = "/api/v1/campaigns/" + campaign + "/leads/mb";
    JsonNode hook =
        await(
            () -> service.get(leadPath).json(),
            l ->
                l.get("messages").size() > 0
                    && "sent".equals(l.get("messages").get(0).get("status").asString()));
    String messageId = hook.get("messages").get(0).get("provider_message_id").asString();

    TestMail.deliveryReport(
        service.smtpPort, sender, "5.1.1", "mixed.bounce@example.com", messageId);

    JsonNode bounced =
        await(
            () -> service.get(leadPath).json(),
            l -> l.get("timeline").toString().contains("\"bounced\""));
    assertThat(bounced.get("status").asString()).isEqualTo("active");
    assertThat(bounced.get("steps").get(1).get("status").asString()).isEqualTo("scheduled");
    assertThat(
            service
                .bean(Suppressions.class)
                .sourceOf("org_default", "EMAIL", "mixed.bounce@example.com"))
        .contains("bounce");
  }

  @Test
  void thePreviewRendersEachStepOnItsChannel() {
    RunningService.Response created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "Preview channels", "channel": "email",
             "sender": {"email": "ada.preview@acme.test", "phone": "+14155550186"},
             "steps": [{"type": "hook", "day": 0, "subject": "Hi {{first_name}}", "body": "Hello"},
                       {"type": "proof", "day": 2, "channel": "whatsapp", "content_sid": "%s",
                        "content_variables": {"1": "{{first_name}}"}},
                       {"type": "fomo", "day": 4, "channel": "webhook",
                        "url": "http://127.0.0.1:9/tasks",
                        "payload": {"task": "Call {{first_name}}", "n": 1}}], %s}
            """
                .formatted(SID, EVERY_DAY));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String campaign = created.json().get("campaign_id").asString();

    RunningService.Response preview =
        service.post(
            "/api/v1/campaigns/" + campaign + "/preview",
            "{\"lead\": {\"email\": \"p@example.com\", \"first_name\": \"Pia\"}}");

    assertThat(preview.status()).as(preview.body()).isEqualTo(200);
    JsonNode steps = preview.json().get("steps");
    assertThat(steps.valueStream().map(s -> s.get("channel").asString()).toList())
        .containsExactly("email", "whatsapp", "webhook");
    assertThat(steps.get(0).get("subject").asString()).isEqualTo("Hi Pia");
    assertThat(steps.get(1).get("text").asString()).isEqualTo("{\"1\":\"Pia\"}");
    assertThat(steps.get(2).get("body").asString()).isEqualTo("{\"task\":\"Call Pia\",\"n\":1}");
  }

  /** An email campaign whose proof goes by SMS, falling back to email. */
  private String mixedCampaign(String name, String email, String phone) {
    RunningService.Response created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "%s", "channel": "email", "sender": {"email": "%s", "phone": "%s"},
             "steps": [{"type": "hook", "day": 0, "subject": "Hello", "body": "Hi"},
                       {"type": "proof", "day": 3, "channel": "sms", "fallback": ["email"],
                        "body": "Proof"}], %s}
            """
                .formatted(name, email, phone, EVERY_DAY));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("campaign_id").asString();
  }

  private static String steps(String steps) {
    return """
        {"name": "Refused", "channel": "email",
         "sender": {"email": "ada.refused@acme.test", "phone": "+14155550185"},
         "steps": [%s], %s}
        """
        .formatted(steps, EVERY_DAY);
  }

  private void assertRefused(String body, String field) {
    long before = campaigns();
    RunningService.Response response = service.post("/api/v1/campaigns", body);
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.json().get("status").asInt()).isEqualTo(400);
    assertThat(fields(response)).as(response.body()).contains(field);
    assertThat(campaigns()).isEqualTo(before);
  }

  private long campaigns() {
    return service
        .bean(JdbcClient.class)
        .sql("select count(*) from campaigns where name = 'Refused'")
        .query(Long.class)
        .single();
  }

  private static List<String> fields(RunningService.Response response) {
    return response.json().get("errors").valueStream().map(e -> e.get("field").asString()).toList();
  }
}
