package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The embedded default has no language model: campaigns that ask for generated copy are refused.
 */
class GeneratedCopyApiTest {

  private final RunningService service = RunningService.get();

  private static final String CAMPAIGN =
      "{\"name\": \"%s\", \"channel\": \"email\", \"sender\": {\"email\": \"gen@generated.test\"},"
          + " \"schedule\": {\"timezone\": \"UTC\"}, \"steps\": [{\"type\": \"hook\", \"day\": 0,"
          + " \"subject\": \"Hi\", \"body\": \"Hello {{first_name}}\"%s}]}";

  @Test
  void withoutALanguageModelAGeneratedStepIsRefusedAndNothingIsCreated() {
    String name = "Generated " + System.nanoTime();
    RunningService.Response refused =
        service.post(
            "/api/v1/campaigns",
            String.format(CAMPAIGN, name, ", \"generate\": {\"instructions\": \"Be brief\"}"));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.json().get("errors").toString())
        .contains("\"field\":\"steps[0].generate\"")
        .contains("LLM_BASE_URL");
    JdbcClient jdbc = service.bean(JdbcClient.class);
    assertThat(
            jdbc.sql("select count(*) from campaigns where name = ?")
                .param(name)
                .query(Long.class)
                .single())
        .isZero();

    // A draft cannot be patched into one either.
    RunningService.Response created =
        service.post("/api/v1/campaigns", String.format(CAMPAIGN, name, ""));
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().get("campaign_id").asString();
    RunningService.Response patched =
        service.patch(
            "/api/v1/campaigns/" + id,
            "{\"steps\": [{\"type\": \"hook\", \"day\": 0, \"subject\": \"Hi\","
                + " \"body\": \"Hello {{first_name}}\", \"generate\": {}}]}");
    assertThat(patched.status()).as(patched.toString()).isEqualTo(422);
    assertThat(
            service
                .get("/api/v1/campaigns/" + id)
                .json()
                .get("steps")
                .get(0)
                .path("generate")
                .isObject())
        .isFalse();
  }
}
