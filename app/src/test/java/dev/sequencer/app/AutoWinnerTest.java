package dev.sequencer.app;

import static dev.sequencer.app.ControlApiTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.activities.analysis.AnalysisActivitiesImpl;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The auto-winner as the campaign run calls it: once B's replies are significantly better, B wins,
 * leads whose hook has not gone out switch to B, and new leads get B (the holdout aside).
 */
class AutoWinnerTest {

  private final RunningService service = RunningService.get();

  @Test
  void aSignificantlyBetterVariantWinsAndTakesOverTheUnsentLeads() throws Exception {
    var created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "Auto winner", "channel": "email", "sender": {"email": "ada@acme.test"},
             "steps": [{"type": "hook", "day": 0, "subject": "A subject", "body": "A body"},
                       {"type": "proof", "day": 3, "subject": "Proof", "body": "Proof"}],
             "variants": [{"name": "B", "allocation_percentage": 50,
                           "steps": [{"type": "hook", "subject": "B subject"}]}],
             "auto_winner": {"enabled": true, "metric": "reply_rate", "confidence": 0.95,
                             "min_sample": 10},
             "schedule": {"timezone": "UTC", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
            """);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String campaign = created.json().get("campaign_id").asString();
    service.post("/api/v1/campaigns/" + campaign + "/leads", leads("aw", 0, 60));
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    JdbcClient jdbc = service.bean(JdbcClient.class);
    await(
        () ->
            jdbc.sql("select count(*) from messages where campaign_id = ? and status = 'SENT'")
                .param(campaign)
                .query(Long.class)
                .single(),
        n -> n == 60);

    // Every B lead answers with interest, no A lead answers.
    List<String> bLeads =
        jdbc.sql("select email from leads where campaign_id = ? and variant = 'B'")
            .param(campaign)
            .query(String.class)
            .list();
    assertThat(bLeads).hasSizeBetween(15, 45);
    for (String email : bLeads) {
      service.post(
          "/api/v1/replies",
          "{\"channel\": \"email\", \"from\": \""
              + email
              + "\", \"body\": \"Sounds good, let's talk.\"}");
    }

    // Leads added while the campaign is paused are enrolled paused, and not messaged yet.
    service.post("/api/v1/campaigns/" + campaign + "/pause", "{}");
    service.post("/api/v1/campaigns/" + campaign + "/leads", leads("aw", 60, 80));
    await(
        () ->
            jdbc.sql(
                    "select count(*) from leads where campaign_id = ? and status = 'PAUSED'"
                        + " and lead_id >= 'aw-060' and workflow_id is not null")
                .param(campaign)
                .query(Long.class)
                .single(),
        n -> n == 20);

    String winner = service.bean(AnalysisActivitiesImpl.class).checkAutoWinner(campaign);

    assertThat(winner)
        .as(service.get("/api/v1/campaigns/" + campaign + "/metrics").body())
        .isEqualTo("B");
    List<String> unsentVariants =
        jdbc.sql("select distinct variant from leads where campaign_id = ? and lead_id >= 'aw-060'")
            .param(campaign)
            .query(String.class)
            .list();
    assertThat(unsentVariants).containsExactly("B");
    long sentA =
        jdbc.sql(
                "select count(*) from leads where campaign_id = ? and variant = 'A'"
                    + " and lead_id < 'aw-060'")
            .param(campaign)
            .query(Long.class)
            .single();
    assertThat(sentA)
        .as("leads whose hook went out keep their variant")
        .isEqualTo(60 - bLeads.size());

    JsonNode metrics = service.get("/api/v1/campaigns/" + campaign + "/metrics").json();
    assertThat(metrics.get("ab_test").get("winner").asString()).isEqualTo("B");
    assertThat(metrics.get("ab_test").get("decided_at").isNull()).isFalse();

    // New leads after the decision all get the winner.
    service.post("/api/v1/campaigns/" + campaign + "/resume", "{}");
    service.post("/api/v1/campaigns/" + campaign + "/leads", leads("aw", 80, 90));
    await(
        () ->
            jdbc.sql(
                    "select count(*) from leads where campaign_id = ? and lead_id >= 'aw-080'"
                        + " and variant = 'B'")
                .param(campaign)
                .query(Long.class)
                .single(),
        n -> n == 10);
  }

  private static String leads(String prefix, int from, int to) {
    List<String> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String id = String.format("%s-%03d", prefix, i);
      rows.add("{\"lead_id\": \"" + id + "\", \"email\": \"" + id + "@winner.test\"}");
    }
    return "[" + String.join(",", rows) + "]";
  }
}
