package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import dev.sequencer.store.testing.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Webhooks and exports through the running service: registration and its validation, a campaign's
 * events arriving signed once per cause, the delivery log and a retry by hand, and CSV exports.
 */
@Timeout(180)
class WebhooksApiTest {

  private final RunningService service = RunningService.get();
  private final WebhookReceiver receiver = new WebhookReceiver();

  @AfterEach
  void stop() {
    receiver.close();
  }

  private static String campaignJson(RunningService.Organization org) {
    String sender = "hooks@" + org.id().toLowerCase().replace('_', '-') + ".webhooks.test";
    return "{\"name\": \"Hooks\", \"channel\": \"email\", \"sender\": {\"email\": \""
        + sender
        + "\"}, \"schedule\": {\"timezone\": \"UTC\", \"holiday_calendar\": null,"
        + " \"business_days\": [\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\",\"SAT\",\"SUN\"]}}";
  }

  private static void assertProblem(RunningService.Response response, int status, String field) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().get("errors").toString()).contains("\"field\":\"" + field + "\"");
  }

  @Test
  void badRegistrationsAreRefusedNamingTheFieldAndCreateNothing() {
    RunningService.Organization org = service.newOrganization("Hook Validation");
    String key = org.adminKey();
    assertProblem(service.call("POST", "/api/v1/webhooks", key, "{}"), 400, "url");
    assertProblem(
        service.call("POST", "/api/v1/webhooks", key, "{\"url\": \"ftp://example.com/x\"}"),
        400,
        "url");
    assertProblem(service.call("POST", "/api/v1/webhooks", key, "{\"url\": 7}"), 400, "url");
    assertProblem(
        service.call(
            "POST",
            "/api/v1/webhooks",
            key,
            "{\"url\": \"" + receiver.url("/h") + "\", \"events\": [\"message.sent\", \"nope\"]}"),
        400,
        "events[1]");
    assertProblem(
        service.call(
            "POST",
            "/api/v1/webhooks",
            key,
            "{\"url\": \"" + receiver.url("/h") + "\", \"events\": []}"),
        400,
        "events");
    assertProblem(
        service.call(
            "POST",
            "/api/v1/webhooks",
            key,
            "{\"url\": \"" + receiver.url("/h") + "\", \"secret\": \"mine\"}"),
        400,
        "secret");
    assertProblem(
        service.call(
            "POST", "/api/v1/webhooks", key, "{\"url\": \"https://no-such-host.invalid/h\"}"),
        422,
        "url");
    assertProblem(service.call("POST", "/api/v1/webhooks", key, "[1]"), 400, "body");
    assertThat(service.call("GET", "/api/v1/webhooks", key, null).json().get("webhooks").size())
        .isZero();
  }

  @Test
  void aCampaignsEventsArriveSignedOncePerCauseAndADeliveryCanBeRetriedByHand() throws Exception {
    RunningService.Organization org = service.newOrganization("Hook Events");
    String key = org.adminKey();
    RunningService.Response registered =
        service.call(
            "POST",
            "/api/v1/webhooks",
            key,
            "{\"url\": \"" + receiver.url("/events") + "\", \"events\": [\"*\"]}");
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    String webhook = registered.json().get("webhook_id").asString();
    String secret = registered.json().get("secret").asString();
    assertThat(secret).startsWith("whsec_");
    RunningService.Response shown = service.call("GET", "/api/v1/webhooks/" + webhook, key, null);
    assertThat(shown.body()).doesNotContain("secret").doesNotContain(secret.substring(6));
    assertThat(shown.json().get("status").asString()).isEqualTo("active");
    RunningService.Organization stranger = service.newOrganization("Hook Stranger");
    assertThat(
            service.call("GET", "/api/v1/webhooks/" + webhook, stranger.adminKey(), null).status())
        .isEqualTo(404);

    String campaign =
        service
            .call("POST", "/api/v1/campaigns", key, campaignJson(org))
            .json()
            .get("campaign_id")
            .asString();
    RunningService.Response added =
        service.call(
            "POST",
            "/api/v1/campaigns/" + campaign + "/leads",
            key,
            "[{\"lead_id\": \"l-1\", \"email\": \"ada@hooks.example\", \"first_name\": \"=1+2\"}]");
    assertThat(added.json().get("accepted").asInt()).as(added.toString()).isEqualTo(1);
    assertThat(service.call("POST", "/api/v1/campaigns/" + campaign + "/start", key, "{}").status())
        .isEqualTo(202);
    WebhookReceiver.await(
        "the hook's message.sent", Duration.ofSeconds(60), () -> types().contains("message.sent"));
    assertThat(service.call("POST", "/api/v1/campaigns/" + campaign + "/pause", key, "{}").status())
        .isLessThan(300);
    assertThat(
            service.call("POST", "/api/v1/campaigns/" + campaign + "/resume", key, "{}").status())
        .isLessThan(300);
    assertThat(
            service
                .call(
                    "POST",
                    "/api/v1/conversions",
                    key,
                    "{\"campaign_id\": \""
                        + campaign
                        + "\", \"lead_id\": \"l-1\", \"event\": \"demo\", \"value\": 10}")
                .status())
        .isEqualTo(202);
    assertThat(
            service
                .call("POST", "/api/v1/opt-outs", key, "{\"email\": \"ada@hooks.example\"}")
                .status())
        .isEqualTo(202);
    assertThat(
            service.call("POST", "/api/v1/campaigns/" + campaign + "/cancel", key, "{}").status())
        .isLessThan(300);

    List<String> expected =
        List.of(
            "campaign.created",
            "campaign.started",
            "message.sent",
            "campaign.paused",
            "campaign.resumed",
            "message.converted",
            "message.unsubscribed",
            "campaign.cancelled");
    WebhookReceiver.await(
        "every cause's event", Duration.ofSeconds(60), () -> types().containsAll(expected));
    Thread.sleep(1500); // a second delivery of any cause would come within the wake-up poll
    Map<String, Long> perType =
        receiver.calls().stream()
            .collect(Collectors.groupingBy(WebhookReceiver.Call::type, Collectors.counting()));
    assertThat(perType.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(perType.values()).containsOnly(1L);
    Webhook verifier = new Webhook(secret);
    for (WebhookReceiver.Call call : receiver.calls()) {
      verifier.verify(call.body(), call.headers());
      assertThat(call.data().get("campaign_id").asString()).isEqualTo(campaign);
    }
    WebhookReceiver.Call sent = call("message.sent");
    assertThat(sent.data().get("lead_id").asString()).isEqualTo("l-1");
    assertThat(sent.data().get("step").asString()).isEqualTo("hook");
    assertThat(sent.data().get("channel").asString()).isEqualTo("email");
    assertThat(sent.data().get("message_id").asString()).startsWith("msg_");
    assertThat(call("message.converted").data().get("event").asString()).isEqualTo("demo");

    // The log, then a retry by hand: the same event again, with the same id.
    JsonNode log =
        service.call("GET", "/api/v1/webhooks/" + webhook + "/deliveries", key, null).json();
    assertThat(log.get("total").asInt()).isEqualTo(expected.size());
    JsonNode sentDelivery = null;
    for (JsonNode d : log.get("deliveries")) {
      assertThat(d.get("status").asString()).isEqualTo("succeeded");
      assertThat(d.get("response_status").asInt()).isEqualTo(200);
      if (d.get("type").asString().equals("message.sent")) {
        sentDelivery = d;
      }
    }
    assertThat(sentDelivery).isNotNull();
    RunningService.Response retried =
        service.call(
            "POST",
            "/api/v1/webhooks/"
                + webhook
                + "/deliveries/"
                + sentDelivery.get("delivery_id").asString()
                + "/retry",
            key,
            "{}");
    assertThat(retried.status()).as(retried.toString()).isEqualTo(202);
    WebhookReceiver.await(
        "the retried delivery",
        Duration.ofSeconds(30),
        () -> receiver.calls().stream().filter(c -> c.id().equals(sent.id())).count() == 2);
    assertThat(
            service
                .call(
                    "POST",
                    "/api/v1/webhooks/" + webhook + "/deliveries/dlv_999999999/retry",
                    key,
                    "{}")
                .status())
        .isEqualTo(404);
    assertThat(service.call("POST", "/api/v1/webhooks/" + webhook + "/enable", key, "{}").status())
        .isEqualTo(409);

    // Exports: CSV with a header row, formulas neutralised.
    RunningService.Response leads =
        service.call("GET", "/api/v1/campaigns/" + campaign + "/export?what=leads", key, null);
    assertThat(leads.status()).isEqualTo(200);
    assertThat(leads.contentType()).startsWith("text/csv");
    List<String> lines = leads.body().lines().toList();
    assertThat(lines.get(0)).startsWith("lead_id,status,variant,sender_id,email,phone,first_name");
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).startsWith("l-1,").contains(",'=1+2,");
    RunningService.Response messages =
        service.call("GET", "/api/v1/campaigns/" + campaign + "/export?what=messages", key, null);
    assertThat(messages.body().lines().skip(1).toList())
        .singleElement()
        .satisfies(line -> assertThat(line).contains(sent.data().get("message_id").asString()));
    RunningService.Response events =
        service.call("GET", "/api/v1/campaigns/" + campaign + "/export?what=events", key, null);
    assertThat(events.body().lines().findFirst())
        .hasValue("at,lead_id,event,step,message_id,detail");
    assertThat(events.body()).contains(",l-1,opted_out,");
    assertProblem(
        service.call("GET", "/api/v1/campaigns/" + campaign + "/export?what=all", key, null),
        400,
        "what");
    assertThat(
            service
                .call(
                    "GET",
                    "/api/v1/campaigns/" + campaign + "/export?what=leads",
                    stranger.adminKey(),
                    null)
                .status())
        .isEqualTo(404);

    // Deleted: nothing more is queued for it.
    assertThat(service.call("DELETE", "/api/v1/webhooks/" + webhook, key, null).status())
        .isEqualTo(204);
    assertThat(service.call("GET", "/api/v1/webhooks/" + webhook, key, null).status())
        .isEqualTo(404);
  }

  private List<String> types() {
    return receiver.calls().stream().map(WebhookReceiver.Call::type).toList();
  }

  private WebhookReceiver.Call call(String type) {
    return receiver.calls().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
  }
}
