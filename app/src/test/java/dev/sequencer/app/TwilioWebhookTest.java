package dev.sequencer.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sequencer.app.ControlApiTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.twilio.security.RequestValidator;
import dev.sequencer.workflows.lead.LeadEnding;
import dev.sequencer.workflows.lead.LeadOutcome;
import io.temporal.client.WorkflowClient;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Twilio's webhooks against the whole service, whose SMS go out through a WireMock server playing
 * Twilio's Messages API: signed inbound messages opt out, re-subscribe, get help and count as
 * replies; signed status callbacks record delivery; forged requests change nothing.
 */
class TwilioWebhookTest {

  static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
  static final String AUTH_TOKEN = "f1e2d3c4b5a6978812345678abcdef90";
  static final String PUBLIC_URL = "http://sequencer.test";
  static final String MESSAGES_PATH = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json";
  static final String HELP_TEXT = "Acme outreach: reply STOP to opt out. Help: help@acme.test";

  private static final AtomicInteger numbers = new AtomicInteger();
  private static final java.util.concurrent.atomic.AtomicLong INBOUND_SIDS =
      new java.util.concurrent.atomic.AtomicLong(0x1000);

  private static WireMockServer twilio;
  private static RunningService service;

  @BeforeAll
  static void start() {
    twilio = new WireMockServer(wireMockConfig().dynamicPort());
    twilio.start();
    List<String> arguments = new ArrayList<>(twilioArguments(twilio));
    arguments.add("--sequencer.twilio.help-text=" + HELP_TEXT);
    service = RunningService.start(arguments.toArray(String[]::new));
  }

  /** The arguments that hand a service's SMS over to {@code twilio}, playing Twilio's API. */
  static List<String> twilioArguments(WireMockServer twilio) {
    return List.of(
        "--sequencer.twilio.auth-token=" + AUTH_TOKEN,
        "--sequencer.twilio.account-sid=" + ACCOUNT_SID,
        "--sequencer.public-url=" + PUBLIC_URL,
        "--sequencer.twilio.api-base-url=" + twilio.baseUrl());
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.context.close();
    }
    if (twilio != null) {
      twilio.stop();
    }
  }

  @Test
  void forgedRequestsAreRefusedAndChangeNothing() throws Exception {
    SmsLead lead = startedSmsLead();
    Map<String, String> stop = inbound(lead, "STOP");
    String smsUrl = PUBLIC_URL + "/webhooks/twilio/sms";

    List<RunningService.Response> refused = new ArrayList<>();
    refused.add(post("/webhooks/twilio/sms", stop, null));
    refused.add(post("/webhooks/twilio/sms", stop, "bm90IGEgc2lnbmF0dXJlIGF0IGFsbA=="));
    refused.add(post("/webhooks/twilio/sms", stop, signature(smsUrl, inbound(lead, "STOP ALL"))));
    refused.add(
        post(
            "/webhooks/twilio/sms",
            stop,
            signature("https://evil.test/webhooks/twilio/sms", stop)));
    // Signed for the address the request really went to (its Host header), not the public URL.
    refused.add(
        post(
            "/webhooks/twilio/sms",
            stop,
            signature(service.baseUrl + "/webhooks/twilio/sms", stop)));
    // Signed for the inbound-message URL, replayed to the status URL.
    Map<String, String> failed = status(lead.sid(), "failed", "21610");
    refused.add(post("/webhooks/twilio/status", failed, signature(smsUrl, failed)));
    refused.add(post("/webhooks/twilio/status", failed, null));
    // A signed HELP whose Body was changed to STOP on the way.
    Map<String, String> help = inbound(lead, "HELP");
    refused.add(post("/webhooks/twilio/sms", stop, signature(smsUrl, help)));

    for (RunningService.Response response : refused) {
      assertThat(response.status()).as(response.body()).isEqualTo(403);
      assertThat(response.contentType()).startsWith("application/problem+json");
      assertThat(response.json().get("status").asInt()).isEqualTo(403);
      assertThat(response.json().get("title").asString()).isEqualTo("Forbidden");
    }
    assertThat(suppressionsOf(lead.phone())).isEmpty();
    assertThat(auditOf(lead.phone())).isEmpty();
    JsonNode after = lead(lead);
    assertThat(after.get("status").asString()).isEqualTo("active");
    assertThat(after.get("messages").get(0).get("status").asString()).isEqualTo("sent");

    // The same STOP, correctly signed, is accepted.
    assertThat(post("/webhooks/twilio/sms", stop, signature(smsUrl, stop)).status()).isEqualTo(200);
    assertThat(suppressionsOf(lead.phone())).containsExactly("keyword");
  }

  @Test
  void withoutAnAuthTokenEveryWebhookIsRefused() {
    // The shared service runs without Twilio credentials.
    RunningService unconfigured = RunningService.get();
    Map<String, String> stop =
        Map.of(
            "From", "+14155550199",
            "To", "+15005550006",
            "Body", "STOP",
            "MessageSid", "SM" + "0".repeat(32),
            "AccountSid", ACCOUNT_SID);
    String signature = signature(PUBLIC_URL + "/webhooks/twilio/sms", stop);
    var response =
        unconfigured.send(
            unconfigured
                .request("/webhooks/twilio/sms", null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(form(stop))));
    assertThat(response.status()).isEqualTo(403);
    assertThat(response.contentType()).startsWith("application/problem+json");
  }

  @Test
  void stopOptsOutConfirmsOnceAndEndsTheSequence() throws Exception {
    SmsLead lead = startedSmsLead();

    var first = postSigned("/webhooks/twilio/sms", inbound(lead, "STOP"));
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.contentType()).startsWith("application/xml");
    assertThat(first.body())
        .contains("<Response><Message>")
        .contains("unsubscribed")
        .contains("Reply START to resubscribe.")
        .containsOnlyOnce("<Message>");

    JsonNode stopped = lead(lead);
    assertThat(stopped.get("status").asString()).isEqualTo("opted_out");
    assertThat(suppressionsOf(lead.phone())).containsExactly("keyword");
    assertThat(auditOf(lead.phone())).containsExactly("opt_out/keyword");
    assertThat(outcome(lead).status()).isEqualTo(LeadEnding.OPTED_OUT);
    JsonNode ended =
        await(
            () -> lead(lead),
            l -> "skipped".equals(l.get("steps").get(1).get("status").asString()));
    assertThat(ended.get("steps").get(1).get("reason").asString()).isEqualTo("opted_out");
    assertThat(ended.get("timeline").toString()).contains("opted out by keyword");

    // A repeated STOP gets no second confirmation.
    var second = postSigned("/webhooks/twilio/sms", inbound(lead, "stop"));
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.contentType()).startsWith("application/xml");
    assertThat(second.body()).contains("<Response/>").doesNotContain("<Message>");
    assertThat(suppressionsOf(lead.phone())).containsExactly("keyword");
    // Only one hook went out to the lead.
    assertThat(
            twilio.findAll(
                WireMock.postRequestedFor(urlPathEqualTo(MESSAGES_PATH))
                    .withFormParam("To", equalTo(lead.phone()))))
        .hasSize(1);
  }

  @Test
  void concurrentStopsConfirmExactlyOnce() throws Exception {
    SmsLead lead = startedSmsLead();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
    try {
      List<java.util.concurrent.Future<RunningService.Response>> answers = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        answers.add(pool.submit(() -> postSigned("/webhooks/twilio/sms", inbound(lead, "STOP"))));
      }
      int confirmations = 0;
      for (var answer : answers) {
        RunningService.Response response = answer.get(60, TimeUnit.SECONDS);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        confirmations += response.body().contains("<Message>") ? 1 : 0;
      }
      assertThat(confirmations).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(suppressionsOf(lead.phone())).containsExactly("keyword");
    assertThat(lead(lead).get("status").asString()).isEqualTo("opted_out");
  }

  @Test
  void aStopInsideASentenceOptsOut() throws Exception {
    SmsLead lead = startedSmsLead();

    var answer = postSigned("/webhooks/twilio/sms", inbound(lead, "please stop texting me"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).contains("<Message>").contains("unsubscribed");
    assertThat(lead(lead).get("status").asString()).isEqualTo("opted_out");
    assertThat(suppressionsOf(lead.phone())).hasSize(1);
    assertThat(outcome(lead).status()).isEqualTo(LeadEnding.OPTED_OUT);
  }

  @Test
  void helpAnswersTheHelpTextAndChangesNothing() throws Exception {
    SmsLead lead = startedSmsLead();

    var answer = postSigned("/webhooks/twilio/sms", inbound(lead, "HELP"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("application/xml");
    assertThat(answer.body())
        .contains(
            "<Response><Message>Acme outreach: reply STOP to opt out. Help: help@acme.test"
                + "</Message></Response>");
    assertThat(postSigned("/webhooks/twilio/sms", inbound(lead, "info")).body())
        .contains(HELP_TEXT);
    assertThat(lead(lead).get("status").asString()).isEqualTo("active");
    assertThat(suppressionsOf(lead.phone())).isEmpty();
    assertThat(auditOf(lead.phone())).isEmpty();
  }

  @Test
  void aReplayedSignedRequestChangesNothing() throws Exception {
    SmsLead lead = startedSmsLead();
    assertThat(postSigned("/webhooks/twilio/sms", inbound(lead, "STOP")).status()).isEqualTo(200);
    Map<String, String> start = inbound(lead, "START");
    assertThat(postSigned("/webhooks/twilio/sms", start).body()).contains("resubscribed");
    Map<String, String> stop = inbound(lead, "STOP");
    assertThat(postSigned("/webhooks/twilio/sms", stop).body()).contains("<Message>");
    List<String> audit = auditOf(lead.phone());

    // The START captured earlier, replayed with its valid signature after the second STOP.
    var replayedStart = postSigned("/webhooks/twilio/sms", start);
    var replayedStop = postSigned("/webhooks/twilio/sms", stop);

    assertThat(replayedStart.status()).isEqualTo(200);
    assertThat(replayedStart.body()).contains("<Response/>").doesNotContain("<Message>");
    assertThat(replayedStop.body()).contains("<Response/>").doesNotContain("<Message>");
    assertThat(suppressionsOf(lead.phone())).containsExactly("keyword");
    assertThat(audit).containsExactly("opt_out/keyword", "resubscribe/keyword", "opt_out/keyword");
    assertThat(auditOf(lead.phone())).isEqualTo(audit);
  }

  @Test
  void startResubscribesAfterAStop() throws Exception {
    SmsLead lead = startedSmsLead();
    postSigned("/webhooks/twilio/sms", inbound(lead, "STOP"));
    assertThat(suppressionsOf(lead.phone())).containsExactly("keyword");

    var answer = postSigned("/webhooks/twilio/sms", inbound(lead, "START"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).contains("<Message>").contains("resubscribed");
    assertThat(suppressionsOf(lead.phone())).isEmpty();
    assertThat(auditOf(lead.phone())).containsExactly("opt_out/keyword", "resubscribe/keyword");
    // The ended sequence stays ended; a STOP after START confirms again.
    assertThat(lead(lead).get("status").asString()).isEqualTo("opted_out");
    assertThat(postSigned("/webhooks/twilio/sms", inbound(lead, "UNSUBSCRIBE")).body())
        .contains("Reply START to resubscribe.");
  }

  @Test
  void aReplyEndsTheSequenceAndIsOnTheTimeline() throws Exception {
    SmsLead lead = startedSmsLead();

    var answer = postSigned("/webhooks/twilio/sms", inbound(lead, "Sounds good, call me tomorrow"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("application/xml");
    assertThat(answer.body()).contains("<Response/>");
    JsonNode replied = lead(lead);
    assertThat(replied.get("status").asString()).isEqualTo("replied");
    List<JsonNode> replies = new ArrayList<>();
    replied
        .get("timeline")
        .forEach(
            e -> {
              // The workflow's end adds its own "replied" entry; the text is recorded once.
              if ("replied".equals(e.get("event").asString())
                  && e.get("detail").asString().contains("call me tomorrow")) {
                replies.add(e);
              }
            });
    assertThat(replies).hasSize(1);
    assertThat(replies.get(0).get("detail").asString())
        .contains("Sounds good, call me tomorrow")
        .containsAnyOf("interested", "neutral");
    assertThat(outcome(lead).status()).isEqualTo(LeadEnding.REPLIED);
    assertThat(suppressionsOf(lead.phone())).isEmpty();
  }

  @Test
  void anSmsToANumberNoCampaignSendsFromChangesNothing() throws Exception {
    SmsLead lead = startedSmsLead();
    Map<String, String> stop = new LinkedHashMap<>(inbound(lead, "STOP"));
    stop.put("To", "+14155550198");

    var answer = postSigned("/webhooks/twilio/sms", stop);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("application/xml");
    assertThat(answer.body()).contains("<Response/>");
    assertThat(suppressionsOf(lead.phone())).isEmpty();
    assertThat(lead(lead).get("status").asString()).isEqualTo("active");
  }

  @Test
  void aDeliveredCallbackMarksTheMessageAndItsStep() throws Exception {
    SmsLead lead = startedSmsLead();

    var answer = postSigned("/webhooks/twilio/status", status(lead.sid(), "delivered", null));
    assertThat(answer.status()).isEqualTo(204);
    // Repeated (Twilio may call more than once): recorded once.
    assertThat(
            postSigned("/webhooks/twilio/status", status(lead.sid(), "delivered", null)).status())
        .isEqualTo(204);

    JsonNode delivered = lead(lead);
    assertThat(delivered.get("messages").get(0).get("status").asString()).isEqualTo("delivered");
    assertThat(delivered.get("steps").get(0).get("status").asString()).isEqualTo("delivered");
    assertThat(delivered.get("status").asString()).isEqualTo("active");
    assertThat(events(delivered, "delivered")).hasSize(1);
    assertThat(events(delivered, "delivered").get(0).get("step").asString()).isEqualTo("hook");
  }

  @Test
  void undeliveredAndFailedCallbacksAreRecordedWithTheirErrorCode() throws Exception {
    SmsLead unreachable = startedSmsLead();
    SmsLead filtered = startedSmsLead();

    assertThat(
            postSigned("/webhooks/twilio/status", status(unreachable.sid(), "undelivered", "30003"))
                .status())
        .isEqualTo(204);
    assertThat(
            postSigned("/webhooks/twilio/status", status(filtered.sid(), "failed", "30007"))
                .status())
        .isEqualTo(204);

    JsonNode first = lead(unreachable);
    JsonNode message = first.get("messages").get(0);
    assertThat(message.get("status").asString()).isEqualTo("undelivered");
    assertThat(message.get("error").asString()).contains("30003");
    assertThat(first.get("steps").get(0).get("status").asString()).isEqualTo("failed");
    assertThat(first.get("steps").get(0).get("reason").asString()).isEqualTo("30003");
    assertThat(events(first, "undelivered")).hasSize(1);
    assertThat(errorCodeOf(unreachable.sid())).isEqualTo("30003");

    JsonNode second = lead(filtered);
    assertThat(second.get("messages").get(0).get("status").asString()).isEqualTo("failed");
    assertThat(second.get("messages").get(0).get("error").asString()).contains("30007");
    assertThat(events(second, "failed")).hasSize(1);
    assertThat(errorCodeOf(filtered.sid())).isEqualTo("30007");
    // Neither is an opt-out.
    assertThat(suppressionsOf(unreachable.phone())).isEmpty();
    assertThat(suppressionsOf(filtered.phone())).isEmpty();
  }

  @Test
  void error21610OptsTheNumberOutAsCarrier() throws Exception {
    SmsLead lead = startedSmsLead();

    var answer = postSigned("/webhooks/twilio/status", status(lead.sid(), "undelivered", "21610"));

    assertThat(answer.status()).isEqualTo(204);
    assertThat(suppressionsOf(lead.phone())).containsExactly("carrier");
    assertThat(auditOf(lead.phone())).containsExactly("opt_out/carrier");
    JsonNode after = lead(lead);
    assertThat(after.get("status").asString()).isEqualTo("opted_out");
    assertThat(after.get("messages").get(0).get("status").asString()).isEqualTo("undelivered");
    assertThat(outcome(lead).status()).isEqualTo(LeadEnding.OPTED_OUT);
  }

  @Test
  void aCallbackForAnUnknownMessageChangesNothing() throws Exception {
    SmsLead lead = startedSmsLead();

    var answer =
        postSigned(
            "/webhooks/twilio/status", status("SM" + "f".repeat(32), "undelivered", "21610"));

    assertThat(answer.status()).isEqualTo(204);
    assertThat(suppressionsOf(lead.phone())).isEmpty();
    assertThat(lead(lead).get("messages").get(0).get("status").asString()).isEqualTo("sent");
  }

  // --- an SMS lead whose hook went out through the fake Twilio ---

  record SmsLead(String campaignId, String leadId, String sender, String phone, String sid) {}

  /** A running SMS campaign with one lead whose hook Twilio accepted, with its message SID. */
  private static SmsLead startedSmsLead() throws InterruptedException {
    int n = numbers.incrementAndGet();
    String sender = "+141555501" + (50 + n);
    String phone = "+141555501" + (10 + n);
    String sid = "SM" + String.format("%032d", Long.parseLong(phone.substring(1)));
    twilio.stubFor(
        WireMock.post(urlPathEqualTo(MESSAGES_PATH))
            .withFormParam("To", equalTo(phone))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json; charset=utf-8")
                    .withBody(createdMessage(sid, sender, phone))));
    ZoneId zone = SmsHours.zoneWithinSmsHours(Instant.now());
    var created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "SMS %d", "channel": "sms", "sender": {"phone": "%s"},
             "steps": [{"type": "hook", "day": 0, "body": "Hi {{first_name|there}}, quick question?"},
                       {"type": "proof", "day": 3, "body": "Following up, {{first_name|there}}"}],
             "schedule": {"timezone": "%s", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
            """
                .formatted(n, sender, zone.getId()));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String campaign = created.json().get("campaign_id").asString();
    String leadId = "sms-" + n;
    var imported =
        service.post(
            "/api/v1/campaigns/" + campaign + "/leads",
            "[{\"lead_id\": \"%s\", \"phone\": \"%s\", \"first_name\": \"Kay\", \"timezone\": \"%s\"}]"
                .formatted(leadId, phone, zone.getId()));
    assertThat(imported.json().get("accepted").asInt()).as(imported.body()).isEqualTo(1);
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/start", "{}").status())
        .isEqualTo(202);
    SmsLead lead = new SmsLead(campaign, leadId, sender, phone, sid);
    JsonNode sent =
        await(
            () -> lead(lead),
            // The enrolment marks the lead active just after starting its workflow, which may
            // have sent the hook already: the lead reads "pending" for that moment.
            l ->
                l.get("messages") != null
                    && l.get("messages").size() == 1
                    && "sent".equals(l.get("messages").get(0).get("status").asString())
                    && "sent".equals(l.get("steps").get(0).get("status").asString())
                    && "active".equals(l.get("status").asString()));
    assertThat(sent.get("messages").get(0).get("dry_run").asBoolean()).isFalse();
    assertThat(sent.get("messages").get(0).get("provider_message_id").asString()).isEqualTo(sid);
    return lead;
  }

  private static JsonNode lead(SmsLead lead) {
    return service.get("/api/v1/campaigns/" + lead.campaignId() + "/leads/" + lead.leadId()).json();
  }

  private static List<JsonNode> events(JsonNode lead, String event) {
    List<JsonNode> found = new ArrayList<>();
    lead.get("timeline")
        .forEach(
            e -> {
              if (event.equals(e.get("event").asString())) {
                found.add(e);
              }
            });
    return found;
  }

  /** How the lead's workflow ended; waits for it to end. */
  private static LeadOutcome outcome(SmsLead lead) throws Exception {
    String workflowId = lead(lead).get("workflow_id").asString();
    return service
        .bean(WorkflowClient.class)
        .newUntypedWorkflowStub(workflowId, Optional.empty(), Optional.empty())
        .getResult(20, TimeUnit.SECONDS, LeadOutcome.class);
  }

  private static List<String> suppressionsOf(String phone) {
    return service
        .bean(JdbcClient.class)
        .sql("select source from suppressions where channel = 'SMS' and address = ?")
        .param(phone)
        .query(String.class)
        .list();
  }

  private static List<String> auditOf(String phone) {
    return service
        .bean(JdbcClient.class)
        .sql(
            "select action || '/' || source from suppression_audit where channel = 'SMS'"
                + " and address = ? order by id")
        .param(phone)
        .query(String.class)
        .list();
  }

  private static String errorCodeOf(String sid) {
    return service
        .bean(JdbcClient.class)
        .sql("select error_code from messages where provider_message_id = ?")
        .param(sid)
        .query(String.class)
        .single();
  }

  // --- signed requests, as Twilio makes them ---

  private static Map<String, String> inbound(SmsLead lead, String body) {
    // Every text Twilio receives has a MessageSid of its own; a repeated one is a replay.
    String sid = "SM" + String.format("%032x", INBOUND_SIDS.incrementAndGet());
    Map<String, String> params = new LinkedHashMap<>();
    params.put("ToCountry", "US");
    params.put("SmsMessageSid", sid);
    params.put("NumMedia", "0");
    params.put("From", lead.phone());
    params.put("To", lead.sender());
    params.put("Body", body);
    params.put("MessageSid", sid);
    params.put("AccountSid", ACCOUNT_SID);
    params.put("NumSegments", "1");
    params.put("ApiVersion", "2010-04-01");
    return params;
  }

  private static Map<String, String> status(String sid, String status, String errorCode) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("MessageSid", sid);
    params.put("SmsSid", sid);
    params.put("MessageStatus", status);
    params.put("SmsStatus", status);
    params.put("AccountSid", ACCOUNT_SID);
    params.put("To", "+14155550100");
    params.put("From", "+15005550006");
    params.put("ApiVersion", "2010-04-01");
    if (errorCode != null) {
      params.put("ErrorCode", errorCode);
    }
    return params;
  }

  private static RunningService.Response postSigned(String path, Map<String, String> params) {
    return post(path, params, signature(PUBLIC_URL + path, params));
  }

  private static RunningService.Response post(
      String path, Map<String, String> params, String signature) {
    HttpRequest.Builder request =
        service
            .request(path, null)
            .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
            .header("Accept", "*/*");
    if (signature != null) {
      request.header("X-Twilio-Signature", signature);
    }
    return service.send(request.POST(HttpRequest.BodyPublishers.ofString(form(params))));
  }

  private static String form(Map<String, String> params) {
    return params.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /**
   * Twilio's signature as documented: Base64 of HMAC-SHA1, keyed with the auth token, over the full
   * URL followed by each POST field's name and value in field-name order. Checked against the SDK's
   * own validator, so the test and the SDK agree on the algorithm.
   */
  static String signature(String url, Map<String, String> params) {
    StringBuilder data = new StringBuilder(url);
    new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(AUTH_TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      String signature =
          Base64.getEncoder()
              .encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
      assertThat(new RequestValidator(AUTH_TOKEN).validate(url, params, signature)).isTrue();
      return signature;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String createdMessage(String sid, String from, String to) {
    String uri = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages/" + sid;
    return """
        {"account_sid": "%s", "api_version": "2010-04-01", "body": "Hi Kay, quick question?",
         "date_created": "Wed, 10 Feb 2027 15:00:00 +0000", "date_sent": null,
         "date_updated": "Wed, 10 Feb 2027 15:00:00 +0000", "direction": "outbound-api",
         "error_code": null, "error_message": null, "from": "%s", "messaging_service_sid": null,
         "num_media": "0", "num_segments": "1", "price": null, "price_unit": "USD", "sid": "%s",
         "status": "queued", "subresource_uris": {"media": "%s/Media.json"}, "to": "%s",
         "uri": "%s.json"}
        """
        .formatted(ACCOUNT_SID, from, sid, uri, to, uri);
  }
}
