package dev.sequencer.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Generated copy through a service of its own whose language model is WireMock playing an
 * OpenAI-compatible server: the text is written at enrolment and shown on the lead before it goes
 * out, a text the gate refuses falls back to the template (or waits for review, holding only its
 * lead), a reviewed text goes out, and a retried generation never writes a step again.
 */
@Timeout(240)
class GeneratedCopyEndToEndTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PATH = "/v1/chat/completions";

  private static WireMockServer llm;
  private static RunningService service;

  @BeforeAll
  static void start() {
    llm = new WireMockServer(wireMockConfig().dynamicPort());
    llm.start();
    service =
        RunningService.start(
            "--sequencer.llm.base-url=" + llm.baseUrl() + "/v1",
            "--sequencer.llm.api-key=sk-e2e",
            "--sequencer.llm.model=e2e-model");
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.context.close();
    }
    llm.stop();
  }

  private static String completion(String content) {
    return "{\"id\": \"c\", \"object\": \"chat.completion\", \"created\": 1, \"model\": \"e2e-model\","
        + " \"choices\": [{\"index\": 0, \"finish_reason\": \"stop\", \"message\": {\"role\":"
        + " \"assistant\", \"content\": "
        + JSON.writeValueAsString(content)
        + "}}], \"usage\": {\"prompt_tokens\": 100, \"completion_tokens\": 30,"
        + " \"total_tokens\": 130}}";
  }

  /** Answers prompts that contain {@code marker} with {@code content}. */
  private static void answer(String marker, String content) {
    llm.stubFor(
        post(urlPathEqualTo(PATH))
            .withRequestBody(containing(marker))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(completion(content))));
  }

  private static String campaign(String name, boolean review) {
    RunningService.Response created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "%s", "channel": "email",
             "sender": {"email": "gen@acme.test", "name": "Ada Lovelace"},
             "steps": [
               {"type": "hook", "day": 0, "subject": "Quick idea for {{company|your team}}",
                "body": "Hi {{first_name|there}}, an idea for {{company|you}}.",
                "generate": {"instructions": "Mention their hiring", "max_words": 60}},
               {"type": "proof", "day": 3, "subject": "Proof", "body": "Proof for {{first_name|you}}"}],
             "generation": {"review": %s},
             "schedule": {"timezone": "UTC", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
            """
                .formatted(name, review));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("campaign_id").asString();
  }

  private static JsonNode awaitLead(String campaign, String lead, Predicate<JsonNode> done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = service.get("/api/v1/campaigns/" + campaign + "/leads/" + lead).json();
      if (done.test(last)) {
        return last;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("lead " + lead + " never got there: " + last);
  }

  private static boolean hookSent(JsonNode lead) {
    return lead.path("steps").path(0).path("status").asString("").equals("sent");
  }

  @Test
  void theModelsTextGoesOutAndARefusedOneFallsBackToTheTemplate() {
    answer(
        "company: Analytical Engines",
        "Subject: Hiring at Analytical Engines\n\nHi Ada, I saw Analytical Engines is hiring"
            + " analysts. How do you keep reporting fast while the team grows?");
    answer("company: Bo Corp", "Subject: Hi\n\nHi [First Name], results GUARANTEED at Bo Corp.");
    String campaign = campaign("Generated " + System.nanoTime(), false);
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        """
        [{"lead_id": "ada", "email": "ada.gen@example.com", "first_name": "Ada",
          "company": "Analytical Engines"},
         {"lead_id": "bo", "email": "bo.gen@example.com", "first_name": "Bo",
          "company": "Bo Corp"}]
        """);
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/start", "{}").status())
        .isEqualTo(202);

    JsonNode ada = awaitLead(campaign, "ada", GeneratedCopyEndToEndTest::hookSent);
    JsonNode generated = ada.get("generated").get(0);
    assertThat(generated.get("step").asString()).isEqualTo("hook");
    assertThat(generated.get("status").asString()).isEqualTo("accepted");
    assertThat(generated.get("model").asString()).isEqualTo("e2e-model");
    assertThat(generated.get("prompt_tokens").asLong()).isEqualTo(100);
    assertThat(generated.get("prompt").asString()).contains("Hook (first touch)");
    JsonNode message = ada.get("messages").get(0);
    assertThat(message.get("subject").asString()).isEqualTo("Hiring at Analytical Engines");
    assertThat(message.get("body").asString()).contains("I saw Analytical Engines is hiring");
    // Only the hook is generated: the proof keeps its template, with no reason of its own.
    assertThat(ada.get("generated")).hasSize(1);

    JsonNode bo = awaitLead(campaign, "bo", GeneratedCopyEndToEndTest::hookSent);
    JsonNode refused = bo.get("generated").get(0);
    assertThat(refused.get("status").asString()).isEqualTo("rejected");
    assertThat(refused.get("attempts").asInt()).isEqualTo(2);
    assertThat(refused.get("rejections").asString())
        .contains("unrendered_placeholder")
        .contains("denied_phrase: guaranteed");
    assertThat(bo.get("steps").get(0).get("reason").asString()).isEqualTo("generation_rejected");
    assertThat(bo.get("messages").get(0).get("subject").asString())
        .isEqualTo("Quick idea for Bo Corp");
    assertThat(bo.get("messages").get(0).get("body").asString())
        .contains("Hi Bo, an idea for Bo Corp.");
    // The metrics compare the two as variants: Ada had the model's copy, Bo the template's.
    JsonNode byCopy =
        service.get("/api/v1/campaigns/" + campaign + "/metrics").json().get("by_copy");
    assertThat(byCopy.get("generated").get("leads").asLong()).isEqualTo(1);
    assertThat(byCopy.get("template").get("leads").asLong()).isEqualTo(1);
    assertThat(byCopy.get("significant").asBoolean()).isFalse();
    // Written once and tried once more: two calls for Bo, one for Ada.
    llm.verify(
        2, postRequestedFor(urlPathEqualTo(PATH)).withRequestBody(containing("company: Bo Corp")));
    llm.verify(
        1,
        postRequestedFor(urlPathEqualTo(PATH))
            .withRequestBody(containing("company: Analytical Engines")));
  }

  @Test
  void aRefusedTextWaitsForReviewHoldingOnlyItsLeadAndTheEditGoesOut() {
    answer("Cy Review", "Subject: Hi\n\nHi Cy Review, act now: GUARANTEED wins at Cy Corp.");
    answer(
        "Di Fine",
        "Subject: Reporting at Di Corp\n\nHi Di Fine, how does Di Corp keep its reporting fast?");
    String campaign = campaign("Reviewed " + System.nanoTime(), true);
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        """
        [{"lead_id": "cy", "email": "cy.gen@example.com", "first_name": "Cy Review",
          "company": "Cy Corp"},
         {"lead_id": "di", "email": "di.gen@example.com", "first_name": "Di Fine",
          "company": "Di Corp"}]
        """);
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/start", "{}").status())
        .isEqualTo(202);

    awaitLead(campaign, "di", GeneratedCopyEndToEndTest::hookSent);
    JsonNode cy =
        awaitLead(
            campaign,
            "cy",
            l -> "awaiting_review".equals(l.path("steps").path(0).path("reason").asString("")));
    assertThat(cy.get("generated").get(0).get("status").asString()).isEqualTo("awaiting_review");
    assertThat(cy.get("messages")).isEmpty();

    // Support edits it; the step goes out with the edit.
    RunningService.Response reviewed =
        service.post(
            "/api/v1/campaigns/" + campaign + "/leads/cy/steps/hook/review",
            "{\"subject\": \"A question for Cy Corp\","
                + " \"body\": \"Hi Cy, how does Cy Corp handle reporting today?\"}");
    assertThat(reviewed.status()).as(reviewed.toString()).isEqualTo(202);
    assertThat(reviewed.json().get("status").asString()).isEqualTo("edited");
    JsonNode sent = awaitLead(campaign, "cy", GeneratedCopyEndToEndTest::hookSent);
    assertThat(sent.get("messages").get(0).get("subject").asString())
        .isEqualTo("A question for Cy Corp");
    assertThat(sent.get("messages").get(0).get("body").asString())
        .contains("how does Cy Corp handle reporting today?");
    // A second review finds nothing waiting.
    assertThat(
            service
                .post("/api/v1/campaigns/" + campaign + "/leads/cy/steps/hook/review", "{}")
                .status())
        .isEqualTo(409);
    assertThat(
            service
                .post("/api/v1/campaigns/" + campaign + "/leads/cy/steps/spam/review", "{}")
                .status())
        .isEqualTo(400);
  }

  @Test
  void theConsoleShowsTheTextWaitingForReviewAndApprovesIt() throws Exception {
    answer("Ed Console", "Subject: Hi\n\nHi Ed Console, this is your last chance at Ed Corp.");
    String campaign = campaign("Console review " + System.nanoTime(), true);
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        """
        [{"lead_id": "ed", "email": "ed.gen@example.com", "first_name": "Ed Console",
          "company": "Ed Corp"}]
        """);
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/start", "{}").status())
        .isEqualTo(202);
    awaitLead(
        campaign,
        "ed",
        l -> "awaiting_review".equals(l.path("steps").path(0).path("reason").asString("")));

    java.net.http.HttpClient browser = java.net.http.HttpClient.newHttpClient();
    String signIn = get(browser, "/console/sign-in");
    String signInToken = field(signIn, "_signin");
    java.net.http.HttpResponse<String> signedIn =
        submit(
            browser,
            "/console/sign-in",
            "key=" + RunningService.KEY + "&zone=UTC&_signin=" + encoded(signInToken));
    assertThat(signedIn.headers().firstValue("Location"))
        .as(signedIn.statusCode() + " " + signedIn.body())
        .hasValueSatisfying(l -> assertThat(l).endsWith("/console"));
    String page = get(browser, "/console/campaigns/" + campaign + "/leads/ed");
    assertThat(page)
        .contains("Generated copy")
        .contains("awaiting review")
        .contains("denied_phrase: last chance")
        .contains("waits for a person&#39;s review")
        .contains("id=\"approve-hook\"");
    java.net.http.HttpResponse<String> approved =
        submit(
            browser,
            "/console/campaigns/" + campaign + "/leads/ed/steps/hook/review",
            "_csrf=" + encoded(field(page, "_csrf")) + "&decision=approve");
    assertThat(approved.statusCode()).isEqualTo(302);
    assertThat(approved.headers().firstValue("Location").orElse(""))
        .endsWith("/leads/ed?done=review_approved");

    JsonNode sent = awaitLead(campaign, "ed", GeneratedCopyEndToEndTest::hookSent);
    assertThat(sent.get("generated").get(0).get("status").asString()).isEqualTo("approved");
    assertThat(sent.get("messages").get(0).get("body").asString())
        .contains("this is your last chance at Ed Corp.");
  }

  /** The console's cookies, kept as a browser keeps them (names are unique here). */
  private final java.util.Map<String, String> cookies = new java.util.LinkedHashMap<>();

  private String get(java.net.http.HttpClient browser, String path) throws Exception {
    return send(
            browser,
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(service.baseUrl + path)))
        .body();
  }

  private java.net.http.HttpResponse<String> submit(
      java.net.http.HttpClient browser, String path, String form) throws Exception {
    return send(
        browser,
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(service.baseUrl + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)));
  }

  private java.net.http.HttpResponse<String> send(
      java.net.http.HttpClient browser, java.net.http.HttpRequest.Builder request)
      throws Exception {
    if (!cookies.isEmpty()) {
      request.header(
          "Cookie",
          String.join(
              "; ",
              cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
    }
    java.net.http.HttpResponse<String> response =
        browser.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    for (String set : response.headers().allValues("Set-Cookie")) {
      String pair = set.split(";", 2)[0];
      int eq = pair.indexOf('=');
      cookies.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return response;
  }

  private static String encoded(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The value of the hidden form field {@code name} in {@code html}. */
  private static String field(String html, String name) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(html);
    assertThat(m.find()).as("field " + name + " in " + html).isTrue();
    // As a browser reads the attribute: the template escaped characters such as '=' as entities.
    java.util.regex.Matcher entity =
        java.util.regex.Pattern.compile("&#(x?)([0-9a-fA-F]+);").matcher(m.group(1));
    StringBuilder value = new StringBuilder();
    while (entity.find()) {
      int code = Integer.parseInt(entity.group(2), entity.group(1).isEmpty() ? 10 : 16);
      entity.appendReplacement(
          value, java.util.regex.Matcher.quoteReplacement(Character.toString(code)));
    }
    entity.appendTail(value);
    return value.toString().replace("&quot;", "\"").replace("&amp;", "&");
  }

  @Test
  void anEditMustBeSafeToSendAndTurningReviewOffSendsTheTemplate() {
    answer(
        "Fy Unsafe",
        "Subject: Hi\n\nHi Fy Unsafe, read https://evil.example/x about Fy Corp, guaranteed.");
    String campaign = campaign("Review off " + System.nanoTime(), true);
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        """
        [{"lead_id": "fy", "email": "fy.gen@example.com", "first_name": "Fy Unsafe",
          "company": "Fy Corp"}]
        """);
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/start", "{}").status())
        .isEqualTo(202);
    awaitLead(
        campaign,
        "fy",
        l -> "awaiting_review".equals(l.path("steps").path(0).path("reason").asString("")));
    String review = "/api/v1/campaigns/" + campaign + "/leads/fy/steps/hook/review";

    // As written it carries a link the campaign never gave: it cannot be approved, only edited.
    assertThat(service.post(review, "{}").status()).isEqualTo(409);
    RunningService.Response template = service.post(review, "{\"body\": \"Hi {{email}}\"}");
    assertThat(template.status()).isEqualTo(400);
    assertThat(template.json().get("errors").toString())
        .contains("\"field\":\"body\"")
        .contains("unrendered_placeholder");
    assertThat(service.post(review, "{\"body\": \"See www.evil.example now\"}").status())
        .isEqualTo(400);
    assertThat(service.post(review, "{\"body\": \"   \"}").status()).isEqualTo(400);

    // The campaign stops asking for review: the waiting lead goes out with its template.
    RunningService.Response patched =
        service.patch("/api/v1/campaigns/" + campaign, "{\"generation\": {\"review\": false}}");
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    JsonNode sent = awaitLead(campaign, "fy", GeneratedCopyEndToEndTest::hookSent);
    assertThat(sent.get("generated").get(0).get("status").asString()).isEqualTo("rejected");
    assertThat(sent.get("messages").get(0).get("subject").asString())
        .isEqualTo("Quick idea for Fy Corp");
    assertThat(sent.get("messages").get(0).get("body").asString())
        .contains("Hi Fy Unsafe, an idea for Fy Corp.")
        .doesNotContain("evil.example");
  }
}
