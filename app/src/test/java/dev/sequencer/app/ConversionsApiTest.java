package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/v1/conversions}: validation, lead lookup and the attribution window. */
class ConversionsApiTest {

  private final RunningService service = RunningService.get();
  private final JdbcClient jdbc = service.bean(JdbcClient.class);

  private long conversions(String campaign) {
    return jdbc.sql("select count(*) from conversions where campaign_id = ?")
        .param(campaign)
        .query(Long.class)
        .single();
  }

  private RunningService.Response post(String body) {
    return service.post("/api/v1/conversions", body);
  }

  private static void assertInvalid(RunningService.Response response, String field) {
    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.get("status").asInt()).isEqualTo(400);
    assertThat(problem.get("title").asString()).isNotBlank();
    assertThat(problem.get("errors").toString()).contains("\"field\":\"" + field + "\"");
  }

  @Test
  void badInputIsRefusedNamingTheFieldAndChangesNothing() {
    String campaign = MetricsApiTest.createAbCampaign(service, "Conversions", 7);
    MetricsApiTest.Rows rows = new MetricsApiTest.Rows(jdbc, campaign);
    long c1 = rows.lead("c1", "ACTIVE", "A");
    rows.message(c1, "hook", "SENT", Instant.now().minus(Duration.ofDays(1)));
    String ok = "\"campaign_id\": \"" + campaign + "\", \"event\": \"purchase\"";

    assertInvalid(post("{\"lead_id\": \"c1\", \"event\": \"purchase\"}"), "campaign_id");
    assertInvalid(
        post("{\"campaign_id\": \"bad id!\", \"lead_id\": \"c1\", \"event\": \"x\"}"),
        "campaign_id");
    assertInvalid(post("{" + ok + "}"), "lead_id");
    assertInvalid(
        post("{" + ok + ", \"lead_id\": \"c1\", \"email\": \"c1@example.com\"}"), "lead_id");
    assertInvalid(post("{" + ok + ", \"email\": \"not an address\"}"), "email");
    assertInvalid(post("{" + ok + ", \"phone\": \"call me\"}"), "phone");
    String lead = "\"campaign_id\": \"" + campaign + "\", \"lead_id\": \"c1\"";
    assertInvalid(post("{" + lead + "}"), "event");
    assertInvalid(post("{" + lead + ", \"event\": \"  \"}"), "event");
    assertInvalid(post("{" + lead + ", \"event\": \"" + "x".repeat(101) + "\"}"), "event");
    assertInvalid(post("{" + ok + ", \"lead_id\": \"c1\", \"value\": -0.01}"), "value");
    assertInvalid(post("{" + ok + ", \"lead_id\": \"c1\", \"value\": \"lots\"}"), "value");
    assertInvalid(post("{" + ok + ", \"lead_id\": \"c1\", \"value\": true}"), "value");
    assertInvalid(
        post("{" + ok + ", \"lead_id\": \"c1\", \"occurred_at\": \"yesterday\"}"), "occurred_at");
    assertInvalid(
        post(
            "{"
                + ok
                + ", \"lead_id\": \"c1\", \"occurred_at\": \""
                + Instant.now().plus(Duration.ofHours(1))
                + "\"}"),
        "occurred_at");
    assertInvalid(post("{" + ok + ", \"lead_id\": \"c1\", \"revenue\": 3}"), "revenue");
    assertInvalid(post("[1, 2]"), "body");
    assertInvalid(post("not json"), "body");
    assertThat(conversions(campaign)).isZero();

    // A valid one, with the event at its longest and no value: accepted.
    RunningService.Response accepted =
        post("{" + lead + ", \"event\": \"" + "x".repeat(100) + "\"}");
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    assertThat(accepted.json().get("value").isNull()).isTrue();
    assertThat(conversions(campaign)).isEqualTo(1);
  }

  @Test
  void unknownCampaignsAndLeadsAreNotFound() {
    String campaign = MetricsApiTest.createAbCampaign(service, "Conversions 404", 7);
    new MetricsApiTest.Rows(jdbc, campaign).lead("n1", "ACTIVE", "A");
    service
        .bean(dev.sequencer.store.organization.ApiKeys.class)
        .ensure("org_conversions_other", "Other", "conversions-other-key", "test");
    String body =
        "{\"campaign_id\": \"" + campaign + "\", \"lead_id\": \"n1\", \"event\": \"purchase\"}";
    RunningService.Response foreign =
        service.send(
            service
                .request("/api/v1/conversions", "conversions-other-key")
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.contentType()).startsWith("application/problem+json");
    assertThat(
            post("{\"campaign_id\": \"cmp_nope\", \"lead_id\": \"n1\", \"event\": \"x\"}").status())
        .isEqualTo(404);
    RunningService.Response noLead =
        post("{\"campaign_id\": \"" + campaign + "\", \"lead_id\": \"n2\", \"event\": \"x\"}");
    assertThat(noLead.status()).isEqualTo(404);
    assertThat(noLead.json().get("detail").asString()).contains("n2");
    assertThat(
            post("{\"campaign_id\": \""
                    + campaign
                    + "\", \"email\": \"nobody@example.com\", \"event\": \"x\"}")
                .status())
        .isEqualTo(404);
    assertThat(conversions(campaign)).isZero();
  }

  @Test
  void countsWithinTheCampaignsAttributionWindowOfTheLastMessage() {
    // A 2-day window.
    String campaign = MetricsApiTest.createAbCampaign(service, "Window", 2);
    MetricsApiTest.Rows rows = new MetricsApiTest.Rows(jdbc, campaign);
    Instant hook = Instant.now().minus(Duration.ofDays(20)).truncatedTo(ChronoUnit.SECONDS);
    Instant proof = hook.plus(Duration.ofDays(3));
    long w1 = rows.lead("w1", "COMPLETED", "A");
    rows.message(w1, "hook", "SENT", hook);
    rows.message(w1, "proof", "SENT", proof);
    long holdout = rows.lead("w2", "HOLDOUT", null);
    rows.event(holdout, "holdout", "kept out", hook);

    // Two days after the hook, before the proof: the hook's window, bound included.
    JsonNode atHookEdge = convert(campaign, "w1", "trial", hook.plus(Duration.ofDays(2)));
    assertThat(atHookEdge.get("attributed").asBoolean()).isTrue();
    assertThat(atHookEdge.get("step").asString()).isEqualTo("hook");
    assertThat(Instant.parse(atHookEdge.get("basis_at").asString())).isEqualTo(hook);
    assertThat(atHookEdge.get("attribution_window_days").asInt()).isEqualTo(2);
    assertThat(atHookEdge.get("reason").asString())
        .isEqualTo("within 2 days after the last message (hook)");
    JsonNode gap = convert(campaign, "w1", "trial", hook.plus(Duration.ofDays(2)).plusSeconds(1));
    assertThat(gap.get("attributed").asBoolean()).isFalse();
    assertThat(gap.get("reason").asString())
        .isEqualTo("more than 2 days after the last message (hook)");
    // The proof opens a new window.
    JsonNode afterProof = convert(campaign, "w1", "trial", proof.plus(Duration.ofHours(47)));
    assertThat(afterProof.get("attributed").asBoolean()).isTrue();
    assertThat(afterProof.get("step").asString()).isEqualTo("proof");
    assertThat(
            convert(campaign, "w1", "trial", proof.plus(Duration.ofHours(49)))
                .get("attributed")
                .asBoolean())
        .isFalse();
    assertThat(convert(campaign, "w1", "trial", hook.minusSeconds(1)).get("reason").asString())
        .isEqualTo("no message was sent to the lead before it");
    // Holdout: the window runs from the enrolment.
    JsonNode holdoutIn = convert(campaign, "w2", "trial", hook.plus(Duration.ofDays(1)));
    assertThat(holdoutIn.get("attributed").asBoolean()).isTrue();
    assertThat(holdoutIn.get("basis").asString()).isEqualTo("holdout");
    assertThat(
            convert(campaign, "w2", "trial", hook.plus(Duration.ofDays(3)))
                .get("attributed")
                .asBoolean())
        .isFalse();

    // A repeated report is the same conversion.
    JsonNode again = convert(campaign, "w1", "trial", hook.plus(Duration.ofDays(2)));
    assertThat(again.get("duplicate").asBoolean()).isTrue();
    assertThat(again.get("conversion_id").asString())
        .isEqualTo(atHookEdge.get("conversion_id").asString());
    assertThat(conversions(campaign)).isEqualTo(7);

    JsonNode metrics = service.get("/api/v1/campaigns/" + campaign + "/metrics").json();
    assertThat(metrics.get("totals").get("converted").asLong()).isEqualTo(1);
    assertThat(metrics.get("holdout").get("converted").asLong()).isEqualTo(1);
    // Messaged 1 of 1 converted, holdout 1 of 1: no lift.
    assertThat(metrics.get("holdout").get("lift").asDouble()).isZero();
  }

  @Test
  void occurredAtDefaultsToNowAndPhonesAreMatchedInE164() {
    String campaign = MetricsApiTest.createAbCampaign(service, "Now", 7);
    MetricsApiTest.Rows rows = new MetricsApiTest.Rows(jdbc, campaign);
    long lead = rows.lead("p1", "ACTIVE", "A");
    rows.message(lead, "hook", "SENT", Instant.now().minus(Duration.ofHours(3)));
    String phone =
        jdbc.sql("select phone from leads where id = ?").param(lead).query(String.class).single();
    Instant before = Instant.now().minusSeconds(1);
    RunningService.Response response =
        post(
            "{\"campaign_id\": \"%s\", \"phone\": \"%s\", \"event\": \"demo_booked\", \"value\": 12.5}"
                .formatted(campaign, phone));
    assertThat(response.status()).as(response.toString()).isEqualTo(202);
    JsonNode body = response.json();
    assertThat(body.get("lead_id").asString()).isEqualTo("p1");
    assertThat(body.get("campaign_id").asString()).isEqualTo(campaign);
    assertThat(body.get("event").asString()).isEqualTo("demo_booked");
    assertThat(body.get("value").asDouble()).isEqualTo(12.5);
    assertThat(body.get("conversion_id").asString()).startsWith("cnv_");
    assertThat(Instant.parse(body.get("occurred_at").asString())).isAfter(before);
    assertThat(body.get("attributed").asBoolean()).isTrue();
    assertThat(body.get("duplicate").asBoolean()).isFalse();
  }

  private JsonNode convert(String campaign, String leadId, String event, Instant at) {
    RunningService.Response response =
        post(
            "{\"campaign_id\": \"%s\", \"lead_id\": \"%s\", \"event\": \"%s\", \"occurred_at\": \"%s\"}"
                .formatted(campaign, leadId, event, at));
    assertThat(response.status()).as(response.toString()).isEqualTo(202);
    return response.json();
  }
}
