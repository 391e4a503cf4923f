package dev.sequencer.app.crash;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sequencer.app.crash.CrashHarness.closeAll;
import static dev.sequencer.app.crash.CrashHarness.runDirectory;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Generated copy under a real crash: a campaign of {@value #LEADS} leads whose hook the model
 * writes (WireMock playing an OpenAI-compatible server, each lead's answer a little slower than the
 * last) starts two days ahead; the worker is killed with SIGKILL once a third of the leads have
 * their text recorded, and started again. Every text recorded before the kill is never asked of the
 * model again, every lead ends with its text, and each hook goes out with the text recorded for its
 * lead. The setup is {@link SendCrashTest}'s {@link SplitDeployment}.
 */
// In the suite's main stream, not beside the other crash tests: the send crash test beside it is
// the suite's longest, and every process started beside it makes it longer.
class GenerationCrashTest {

  static final int LEADS = 12;

  private static final String API_KEY = "generation-crash-api-key";
  private static final String TOKEN_SECRET = "generation-crash-token-secret-shared-by-all";
  private static final Path OUT = runDirectory("generation-crash-test");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static EmbeddedPostgres postgres;
  private static JdbcClient jdbc;
  private static SplitDeployment deployment;
  private static CountingSmtpServer smtp;
  private static WireMockServer llm;
  private static CrashHarness.Api client;

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(OUT);
    postgres = EmbeddedPostgres.builder().start();
    jdbc = JdbcClient.create(postgres.getPostgresDatabase());
    llm = new WireMockServer(wireMockConfig().dynamicPort());
    llm.start();
    for (int i = 0; i < LEADS; i++) {
      String text =
          "Subject: For Company "
              + i
              + "\n\nHi Lead"
              + i
              + ", a question about Company "
              + i
              + "'s reporting: how long does the month-end close take today?";
      llm.stubFor(
          post(urlPathEqualTo("/v1/chat/completions"))
              .withRequestBody(containing("first name: Lead" + i + "\\n"))
              .willReturn(
                  aResponse()
                      .withStatus(200)
                      .withFixedDelay(250 * i)
                      .withHeader("Content-Type", "application/json")
                      .withBody(
                          "{\"id\": \"c\", \"object\": \"chat.completion\", \"created\": 1,"
                              + " \"model\": \"crash-model\", \"choices\": [{\"index\": 0,"
                              + " \"finish_reason\": \"stop\", \"message\": {\"role\":"
                              + " \"assistant\", \"content\": "
                              + JSON.writeValueAsString(text)
                              + "}}], \"usage\": {\"prompt_tokens\": 50, \"completion_tokens\":"
                              + " 20, \"total_tokens\": 70}}")));
    }
    deployment =
        new SplitDeployment(
            OUT, postgres.getJdbcUrl("postgres", "postgres"), API_KEY, TOKEN_SECRET);
    deployment.startTemporal("512m");
    smtp = new CountingSmtpServer();
    client = deployment.startApi(List.of("--sequencer.llm.base-url=" + llm.baseUrl() + "/v1"));
  }

  @AfterAll
  static void stop() throws Exception {
    closeAll(deployment, smtp, postgres);
    if (llm != null) {
      llm.stop();
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aTextRecordedBeforeTheKillIsNeitherWrittenAgainNorLost() throws Exception {
    String campaign =
        client.createCampaign(
            """
            {"name": "Generation crash", "channel": "email",
             "sender": {"email": "ada@acme.test", "name": "Ada Lovelace"},
             "steps": [{"type": "hook", "day": 0, "subject": "Hi",
                        "body": "Hello {{first_name|}}", "generate": {"max_words": 60}}],
             "schedule": {"timezone": "UTC", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
            """);
    StringBuilder csv = new StringBuilder("lead_id,email,first_name,company\n");
    for (int i = 0; i < LEADS; i++) {
      csv.append(String.format("g-%02d,g%d@example.com,Lead%d,Company %d%n", i, i, i, i));
    }
    client.importLeads(campaign, csv.toString(), LEADS);
    // Two days ahead: the texts are written at enrolment, the hooks go out once the test server's
    // clock gets there, after the worker's second life has written the rest.
    client.startCampaignAt(campaign, java.time.Instant.now().plus(java.time.Duration.ofDays(2)));

    ChildJvm worker = startWorker("worker-0");
    long deadline = System.currentTimeMillis() + 120_000;
    while (recorded(campaign).size() < LEADS / 3) {
      assertThat(worker.isAlive()).as("worker alive, see " + worker.log).isTrue();
      assertThat(System.currentTimeMillis())
          .as("a third of the texts written")
          .isLessThan(deadline);
      Thread.sleep(5);
    }
    worker.kill();
    Map<String, String> beforeKill = recorded(campaign);
    System.out.printf(
        "GENERATION-CRASH-TEST killed with %d of %d texts recorded%n", beforeKill.size(), LEADS);

    worker = startWorker("worker-1");
    deadline = System.currentTimeMillis() + 180_000;
    while (sent(campaign).size() < LEADS) {
      assertThat(worker.isAlive()).as("worker alive, see " + worker.log).isTrue();
      assertThat(System.currentTimeMillis())
          .as(
              "every hook sent; texts %d, sent %d",
              recorded(campaign).size(), sent(campaign).size())
          .isLessThan(deadline);
      Thread.sleep(200);
    }
    worker.stop(30);

    assertThat(beforeKill.size()).as("killed while texts were being written").isLessThan(LEADS);
    Map<String, String> texts = recorded(campaign);
    Map<String, String> bodies = sent(campaign);
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(texts).as("every lead's text").hasSize(LEADS);
    for (Map.Entry<String, String> before : beforeKill.entrySet()) {
      int i = Integer.parseInt(before.getKey().substring(2));
      softly
          .assertThat(
              llm.countRequestsMatching(
                      postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                          .withRequestBody(containing("first name: Lead" + i + "\\n"))
                          .build())
                  .getCount())
          .as("model calls for %s, recorded before the kill", before.getKey())
          .isEqualTo(1);
      softly.assertThat(texts.get(before.getKey())).isEqualTo(before.getValue());
    }
    for (Map.Entry<String, String> text : texts.entrySet()) {
      softly
          .assertThat(bodies.get(text.getKey()))
          .as("the hook of %s", text.getKey())
          .startsWith(text.getValue());
    }
    softly.assertAll();
    System.out.printf(
        "GENERATION-CRASH-TEST all %d hooks sent with their texts; model calls %d%n",
        LEADS, llm.getAllServeEvents().size());
  }

  private static ChildJvm startWorker(String name) throws Exception {
    return deployment.startWorker(
        name,
        smtp.port(),
        "http://127.0.0.1:9",
        List.of(),
        List.of(
            "--server.port=0",
            "--sequencer.llm.base-url=" + llm.baseUrl() + "/v1",
            "--sequencer.llm.model=crash-model"));
  }

  /** The texts recorded so far, by lead id. */
  private static Map<String, String> recorded(String campaign) {
    Map<String, String> texts = new HashMap<>();
    jdbc.sql(
            "select l.lead_id, g.body from lead_generations g join leads l on l.id = g.lead_pk"
                + " where l.campaign_id = ? and g.status = 'accepted'")
        .param(campaign)
        .query(
            rs -> {
              texts.put(rs.getString(1), rs.getString(2));
            });
    return texts;
  }

  /** The hooks sent so far (their text bodies), by lead id. */
  private static Map<String, String> sent(String campaign) {
    Map<String, String> bodies = new HashMap<>();
    jdbc.sql(
            "select l.lead_id, m.body_text from messages m join leads l on l.id = m.lead_pk"
                + " where m.campaign_id = ? and m.status = 'SENT'")
        .param(campaign)
        .query(
            rs -> {
              bodies.put(rs.getString(1), rs.getString(2));
            });
    return bodies;
  }
}
