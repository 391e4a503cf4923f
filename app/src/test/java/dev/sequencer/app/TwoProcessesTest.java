package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.sequencer.api.ApiApplication;
import dev.sequencer.worker.WorkerApplication;
import io.temporal.testserver.TestServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The production shape: the api and the worker as two applications, each with only its own
 * configuration, against one PostgreSQL, one Temporal server and one SMTP relay — what the
 * environment variables point them at in production.
 */
class TwoProcessesTest {

  private static EmbeddedPostgres postgres;
  private static TestServer.PortBoundTestServer temporal;
  private static GreenMail mail;
  private static final List<ConfigurableApplicationContext> processes = new ArrayList<>();
  private static RunningService api;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    int temporalPort = RunningService.freePort();
    temporal = TestServer.createPortBoundServer(temporalPort, true);
    int smtpPort = RunningService.freePort();
    mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    List<String> shared =
        List.of(
            "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
            "--spring.datasource.username=postgres",
            "--spring.datasource.password=postgres",
            "--TEMPORAL_ADDRESS=127.0.0.1:" + temporalPort,
            "--sequencer.api-key=" + RunningService.KEY,
            "--sequencer.token-secret=shared-secret-of-both-processes",
            "--spring.main.banner-mode=off");
    List<String> worker = new ArrayList<>(shared);
    worker.addAll(
        List.of(
            "--spring.config.location=classpath:/sequencer-common.yml,classpath:/sequencer-worker.yml",
            "--server.port=0",
            "--SMTP_HOST=127.0.0.1",
            "--SMTP_PORT=" + smtpPort,
            "--SMTP_STARTTLS=false"));
    processes.add(
        new SpringApplicationBuilder(WorkerApplication.class).run(worker.toArray(String[]::new)));
    List<String> apiArgs = new ArrayList<>(shared);
    apiArgs.addAll(
        List.of(
            "--spring.config.location=classpath:/sequencer-common.yml,classpath:/sequencer-api.yml",
            "--server.port=0"));
    ConfigurableApplicationContext apiContext =
        new SpringApplicationBuilder(ApiApplication.class).run(apiArgs.toArray(String[]::new));
    processes.add(apiContext);
    api = RunningService.of(apiContext);
  }

  @AfterAll
  static void stop() throws Exception {
    for (ConfigurableApplicationContext process : processes) {
      process.close();
    }
    mail.stop();
    temporal.close();
    postgres.close();
  }

  @Test
  void theApiStartsWhatTheWorkerSends() throws Exception {
    assertThat(processes.get(1).containsBean("sendActivitiesImpl"))
        .as("the api runs no activities")
        .isFalse();
    assertThat(processes.get(0).containsBean("campaignController"))
        .as("the worker serves no API")
        .isFalse();

    String campaign = api.createOpenEmailCampaign("Two processes");
    api.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"split-1\", \"email\": \"split@example.com\", \"first_name\": \"Sam\"}]");
    assertThat(api.post("/api/v1/campaigns/" + campaign + "/start", "{}").status()).isEqualTo(202);

    JsonNode lead =
        ControlApiTest.await(
            () -> api.get("/api/v1/campaigns/" + campaign + "/leads/split-1").json(),
            l ->
                l.get("steps").size() == 3
                    && "sent".equals(l.get("steps").get(0).get("status").asString()));
    assertThat(lead.get("messages").get(0).get("to").asString()).isEqualTo("split@example.com");
    assertThat(mail.getReceivedMessages()).hasSize(1);
    assertThat(mail.getReceivedMessages()[0].getSubject()).isEqualTo("Quick idea for your team");
    assertThat(
            api.send(api.request("/actuator/health", null).GET()).json().get("status").asString())
        .isEqualTo("UP");
  }
}
