package dev.sequencer.activities.generation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.sequencer.activitiestest.ActivitiesIntegrationTest;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.StepGeneration;
import dev.sequencer.store.campaign.StepType;
import dev.sequencer.store.generation.GenerationUsage;
import dev.sequencer.store.generation.LeadGeneration;
import dev.sequencer.store.generation.LeadGenerations;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadRepository;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.store.testing.CampaignBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The generation activity records each step once: a retried or replayed activity (a worker killed
 * between generation and send) finds the text recorded and neither calls the model again nor
 * changes what will be sent.
 */
class GenerationActivitiesImplTest extends ActivitiesIntegrationTest {

  private WireMockServer llm;

  @BeforeEach
  void start() {
    llm = new WireMockServer(wireMockConfig().dynamicPort());
    llm.start();
  }

  @AfterEach
  void stop() {
    llm.stop();
  }

  private static String completion(String content) {
    return "{\"id\": \"c\", \"object\": \"chat.completion\", \"created\": 1, \"model\": \"m\","
        + " \"choices\": [{\"index\": 0, \"finish_reason\": \"stop\", \"message\": {\"role\":"
        + " \"assistant\", \"content\": "
        + JsonMapper.builder().build().writeValueAsString(content)
        + "}}], \"usage\": {\"prompt_tokens\": 10, \"completion_tokens\": 5, \"total_tokens\": 15}}";
  }

  private GenerationActivitiesImpl activities() {
    LeadCopyGenerator generator =
        new LeadCopyGenerator(
            new ChatModel(llm.baseUrl() + "/v1", "k", "m", Duration.ofSeconds(5), 0),
            context.getBean(GenerationUsage.class),
            new LeadCopyGenerator.Budget(1000, 10_000_000),
            Clock.systemUTC());
    return new GenerationActivitiesImpl(
        context.getBean(LeadRepository.class),
        context.getBean(CampaignRepository.class),
        context.getBean(LeadGenerations.class),
        context.getBean(LeadSteps.class),
        context.getBean(LeadTimeline.class),
        Clock.systemUTC(),
        generator);
  }

  @Test
  void aRetriedGenerationNeitherCallsTheModelAgainNorChangesTheText() {
    Campaign campaign =
        fixtures()
            .save(
                CampaignBuilder.email(fixtures().organization())
                    .generatedStep(
                        "A",
                        StepType.HOOK,
                        0,
                        "Quick idea",
                        "Hi {{first_name}}",
                        new StepGeneration(null, null, 80))
                    .step("A", StepType.PROOF, 3, "Proof", "A proof")
                    .build());
    Lead lead = fixtures().lead(campaign, "g-1", "Grace");
    String company = lead.company() == null ? "" : " at " + lead.company();
    llm.stubFor(
        post(urlPathEqualTo("/v1/chat/completions"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        completion(
                            "Subject: For Grace\n\nHi Grace, a first text" + company + "."))));

    activities().generateCopy(lead.id());
    llm.resetAll();
    llm.stubFor(
        post(urlPathEqualTo("/v1/chat/completions"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(completion("Subject: Other\n\nHi Grace, another text" + company))));
    activities().generateCopy(lead.id());

    llm.verify(0, postRequestedFor(urlPathEqualTo("/v1/chat/completions")));
    List<LeadGeneration> recorded = context.getBean(LeadGenerations.class).of(lead.id());
    assertThat(recorded).hasSize(1);
    assertThat(recorded.get(0).status()).isEqualTo(LeadGeneration.ACCEPTED);
    assertThat(recorded.get(0).body()).startsWith("Hi Grace, a first text");
    assertThat(recorded.get(0).subject()).isEqualTo("For Grace");
  }
}
