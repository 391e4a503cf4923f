package dev.sequencer.activities.generation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.sequencer.activitiestest.ActivitiesIntegrationTest;
import dev.sequencer.content.generation.DeniedPhrases;
import dev.sequencer.store.generation.GenerationUsage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The generator against WireMock playing an OpenAI-compatible chat-completions server: what the
 * prompts carry, retries of 429, 500 and timeouts, the quality gate's second chance, and the
 * organization's budget.
 */
class LeadCopyGeneratorTest extends ActivitiesIntegrationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PATH = "/v1/chat/completions";
  private static final String LINK = "https://acme.example/study";

  private WireMockServer llm;
  private String org;

  private static final LeadFacts ADA =
      new LeadFacts(
          null, "Ada", "Lovelace", "Lovelace Labs", "Head of Analytics", Map.of("city", "London"));

  private static final StepBrief HOOK =
      new StepBrief(
          "hook",
          "Mention their hiring of analysts",
          "warm, direct",
          80,
          "A question about reporting",
          "Hi {{first_name}}, how does {{company}} handle reporting today?");
  private static final StepBrief PROOF =
      new StepBrief("proof", null, null, 80, null, "Teams like {{company}} cut reporting time.");

  @BeforeEach
  void start() {
    llm = new WireMockServer(wireMockConfig().dynamicPort());
    llm.start();
    org = fixtures().organization();
  }

  @AfterEach
  void stop() {
    llm.stop();
  }

  private LeadFacts ada() {
    return new LeadFacts(
        org, ADA.firstName(), ADA.lastName(), ADA.company(), ADA.title(), ADA.attributes());
  }

  /** Mid-minute, so that a test's calls share one minute of the budget whenever it runs. */
  private static final Clock CLOCK =
      Clock.fixed(java.time.Instant.parse("2031-03-04T10:00:30Z"), java.time.ZoneOffset.UTC);

  private LeadCopyGenerator generator(Duration timeout, LeadCopyGenerator.Budget budget) {
    ChatModel model = new ChatModel(llm.baseUrl() + "/v1", "sk-test", "test-model", timeout, 2);
    return new LeadCopyGenerator(model, context.getBean(GenerationUsage.class), budget, CLOCK);
  }

  private LeadCopyGenerator generator() {
    return generator(Duration.ofSeconds(5), new LeadCopyGenerator.Budget(100, 1_000_000));
  }

  private static String completion(String content) {
    return "{\"id\": \"chatcmpl-1\", \"object\": \"chat.completion\", \"created\": 1,"
        + " \"model\": \"test-model\", \"choices\": [{\"index\": 0, \"finish_reason\": \"stop\","
        + " \"message\": {\"role\": \"assistant\", \"content\": "
        + JSON.writeValueAsString(content)
        + "}}], \"usage\": {\"prompt_tokens\": 120, \"completion_tokens\": 40,"
        + " \"total_tokens\": 160}}";
  }

  private void answer(String content) {
    llm.stubFor(
        post(urlPathEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(completion(content))));
  }

  private static final String GOOD_HOOK =
      "Subject: Reporting at Lovelace Labs\n\nHi Ada, I saw Lovelace Labs is hiring analysts."
          + " How much of their week goes to reconciling reports by hand?";

  private List<StepResult> generate(LeadCopyGenerator generator, StepBrief... steps) {
    return generator.generate(
        ada(), "email", List.of(steps), Set.of(LINK), DeniedPhrases.DEFAULT, 0.5, 0);
  }

  @Test
  void thePromptCarriesTheLeadsFactsTheStepsRoleAndTheCampaignsWishes() {
    answer(GOOD_HOOK);

    StepResult hook = generate(generator(), HOOK).get(0);

    assertThat(hook.accepted()).isTrue();
    assertThat(hook.text().subject()).isEqualTo("Reporting at Lovelace Labs");
    assertThat(hook.text().body()).startsWith("Hi Ada, I saw Lovelace Labs");
    assertThat(hook.model()).isEqualTo("test-model");
    assertThat(hook.promptTokens()).isEqualTo(120);
    assertThat(hook.completionTokens()).isEqualTo(40);
    JsonNode request = JSON.readTree(llm.getAllServeEvents().get(0).getRequest().getBodyAsString());
    assertThat(request.get("model").asString()).isEqualTo("test-model");
    String system = request.get("messages").get(0).get("content").asString();
    String user = request.get("messages").get(1).get("content").asString();
    assertThat(request.get("messages").get(0).get("role").asString()).isEqualTo("system");
    assertThat(system).contains("Subject: <subject>").contains("never invent");
    assertThat(user)
        .contains("Hook (first touch)")
        .contains("first name: Ada")
        .contains("company: Lovelace Labs")
        .contains("title: Head of Analytics")
        .contains("city: London")
        .contains("Mention their hiring of analysts")
        .contains("Tone: warm, direct")
        .contains("At most 80 words")
        .contains(LINK)
        .contains("how does {{company}} handle reporting");
    assertThat(llm.getAllServeEvents().get(0).getRequest().getHeader("Authorization"))
        .isEqualTo("Bearer sk-test");
  }

  @Test
  void a429AndA500AreTriedAgainAndThreeFailuresFallBack() {
    llm.stubFor(
        post(urlPathEqualTo(PATH))
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0"))
            .willSetStateTo("second"));
    llm.stubFor(
        post(urlPathEqualTo(PATH))
            .inScenario("flaky")
            .whenScenarioStateIs("second")
            .willReturn(aResponse().withStatus(500))
            .willSetStateTo("third"));
    llm.stubFor(
        post(urlPathEqualTo(PATH))
            .inScenario("flaky")
            .whenScenarioStateIs("third")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(completion(GOOD_HOOK))));

    assertThat(generate(generator(), HOOK).get(0).accepted()).isTrue();
    llm.verify(3, postRequestedFor(urlPathEqualTo(PATH)));

    llm.resetAll();
    llm.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
    StepResult failed = generate(generator(), HOOK).get(0);
    assertThat(failed.accepted()).isFalse();
    assertThat(failed.failure()).contains("did not answer");
    // The client's two retries, then the step falls back.
    llm.verify(3, postRequestedFor(urlPathEqualTo(PATH)));
  }

  @Test
  void aModelThatDoesNotAnswerInTimeFallsBack() {
    llm.stubFor(
        post(urlPathEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(completion(GOOD_HOOK))
                    .withFixedDelay(3_000)));

    StepResult slow =
        generate(
                generator(Duration.ofMillis(500), new LeadCopyGenerator.Budget(100, 1_000_000)),
                HOOK)
            .get(0);

    assertThat(slow.accepted()).isFalse();
    assertThat(slow.failure()).contains("did not answer");
    llm.verify(3, postRequestedFor(urlPathEqualTo(PATH)));
  }

  @Test
  void aRefusedTextIsWrittenOnceMoreWithTheReasonsThenGivenUp() {
    llm.stubFor(
        post(urlPathEqualTo(PATH))
            .inScenario("gate")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(completion("Subject: Hi\n\nHi [First Name], results GUARANTEED.")))
            .willSetStateTo("again"));
    llm.stubFor(
        post(urlPathEqualTo(PATH))
            .inScenario("gate")
            .whenScenarioStateIs("again")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(completion(GOOD_HOOK))));

    StepResult second = generate(generator(), HOOK).get(0);

    assertThat(second.accepted()).isTrue();
    assertThat(second.attempts()).isEqualTo(2);
    String retryPrompt =
        JSON.readTree(llm.getAllServeEvents().get(0).getRequest().getBodyAsString())
            .get("messages")
            .get(1)
            .get("content")
            .asString();
    // Serve events are newest first: the second call carried the first one's refusal.
    assertThat(retryPrompt)
        .contains("Your previous text was refused")
        .contains("unrendered_placeholder: [First Name]")
        .contains("denied_phrase: guaranteed");

    llm.resetAll();
    answer("Subject: Hi\n\nHi there, a question.");
    StepResult refused = generate(generator(), HOOK).get(0);
    assertThat(refused.accepted()).isFalse();
    assertThat(refused.attempts()).isEqualTo(2);
    assertThat(refused.failure()).isNull();
    assertThat(refused.lastAttempt().body()).isEqualTo("Hi there, a question.");
    assertThat(refused.rejections()).extracting(r -> r.rule()).contains("missing_fact");
  }

  @Test
  void aTextCutOffAtTheTokenLimitIsRefusedAndWrittenAgain() {
    String cutOff =
        completion(GOOD_HOOK)
            .replace("\"finish_reason\": \"stop\"", "\"finish_reason\": \"length\"");
    llm.stubFor(
        post(urlPathEqualTo(PATH))
            .inScenario("cut")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(cutOff))
            .willSetStateTo("whole"));
    llm.stubFor(
        post(urlPathEqualTo(PATH))
            .inScenario("cut")
            .whenScenarioStateIs("whole")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(completion(GOOD_HOOK))));

    StepResult hook = generate(generator(), HOOK).get(0);

    assertThat(hook.accepted()).isTrue();
    assertThat(hook.attempts()).isEqualTo(2);
    String retryPrompt =
        JSON.readTree(llm.getAllServeEvents().get(0).getRequest().getBodyAsString())
            .get("messages")
            .get(1)
            .get("content")
            .asString();
    assertThat(retryPrompt).contains("truncated: the model stopped at its token limit");
  }

  @Test
  void aLaterStepThatRepeatsAnEarlierOneIsRefused() {
    answer(GOOD_HOOK);

    List<StepResult> both = generate(generator(), HOOK, PROOF);

    assertThat(both.get(0).accepted()).isTrue();
    assertThat(both.get(1).accepted()).isFalse();
    assertThat(both.get(1).rejections()).extracting(r -> r.rule()).contains("repeats_step");
  }

  @Test
  void aSpentBudgetMakesNoCallAndFallsBack() {
    answer(GOOD_HOOK);
    LeadCopyGenerator oneRequest =
        generator(Duration.ofSeconds(5), new LeadCopyGenerator.Budget(1, 1_000_000));

    List<StepResult> results = generate(oneRequest, HOOK, PROOF);

    assertThat(results.get(0).accepted()).isTrue();
    assertThat(results.get(1).failure()).contains("budget");
    assertThat(results.get(1).attempts()).isZero();
    llm.verify(1, postRequestedFor(urlPathEqualTo(PATH)));
    // The day's tokens are what the call used (120 + 40), not what was reserved for it.
    assertThat(context.getBean(GenerationUsage.class).tokensUsed(org, CLOCK.instant()))
        .isEqualTo(160);
  }
}
