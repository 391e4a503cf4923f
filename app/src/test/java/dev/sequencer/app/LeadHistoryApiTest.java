package dev.sequencer.app;

import static dev.sequencer.app.ControlApiTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A lead's workflow history over the API, from the embedded Temporal, which has no UI. */
class LeadHistoryApiTest {

  private final RunningService service = RunningService.get();

  @Test
  void theHistoryListsTheWorkflowsEventsInWordsWithItsState() throws Exception {
    String campaign = service.createOpenEmailCampaign("History");
    String base = "/api/v1/campaigns/" + campaign + "/leads/hist-1";
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"hist-1\", \"email\": \"hist1@example.com\"}]");
    assertThat(service.get(base + "/history").status()).isEqualTo(404);

    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    await(
        () -> service.get(base).json(),
        l ->
            l.get("steps") != null
                && l.get("steps").size() > 0
                && "sent".equals(l.get("steps").get(0).get("status").asString()));
    assertThat(service.post(base + "/pause", "{}").status()).isEqualTo(202);

    JsonNode history =
        await(
            () -> service.get(base + "/history").json(),
            h -> summaries(h).stream().anyMatch(s -> s.startsWith("signal pause")));
    assertThat(history.get("workflow_id").asString()).isEqualTo("lead-" + campaign + "-hist-1");
    List<String> summaries = summaries(history);
    assertThat(summaries.get(0)).isEqualTo("started LeadSequenceWorkflow");
    assertThat(summaries).anyMatch(s -> s.matches("activity \\w+ scheduled"));
    assertThat(summaries).anyMatch(s -> s.matches("timer \\S+ until \\S+Z \\(.+\\)"));
    assertThat(history.get("events").valueStream().map(e -> e.get("type").asString()).toList())
        .doesNotContain("workflow_task_scheduled", "workflow_task_started")
        .contains("workflow_execution_signaled");
    assertThat(history.get("state").get("status").asString()).isEqualTo("paused");
    assertThat(history.get("state").get("plan").size()).isEqualTo(3);
  }

  private static List<String> summaries(JsonNode history) {
    return history.get("events").valueStream().map(e -> e.get("summary").asString()).toList();
  }
}
