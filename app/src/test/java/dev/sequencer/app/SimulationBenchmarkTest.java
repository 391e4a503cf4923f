package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.storetest.bench.Figure;
import dev.sequencer.storetest.bench.Figures;
import java.net.http.HttpRequest;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * How long the simulation of a 10,000-lead campaign takes over HTTP: an A/B test, US holidays, a
 * send window and a daily limit of 500 in New York, replies and opt-outs drawn — every lead through
 * the real lead workflow on the private server. Goal: under 60 s on two cores.
 *
 * <p>{@code -Dsequencer.benchmark.simulationLeads=N} runs it with another number of leads.
 */
@Timeout(1200)
class SimulationBenchmarkTest {

  static final int LEADS = Integer.getInteger("sequencer.benchmark.simulationLeads", 10_000);

  private final RunningService service = RunningService.get();

  @Test
  void tenThousandLeadsSimulate() {
    var created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "Simulation benchmark", "channel": "email",
             "sender": {"email": "ada@acme.test", "name": "Ada Lovelace"},
             "steps": [
               {"type": "hook", "day": 0, "subject": "Idea", "body": "Hi {{first_name|there}}"},
               {"type": "proof", "day": 3, "subject": "Proof", "body": "Proof"},
               {"type": "fomo", "day": 7, "subject": "Last call", "body": "Last call"}],
             "variants": [{"name": "B", "allocation_percentage": 50,
               "steps": [{"type": "hook", "subject": "Another idea", "body": "Hello"}]}],
             "limits": {"daily_limit": 500},
             "schedule": {"timezone": "America/New_York",
                          "send_window": {"start": "09:00", "end": "17:00"}}}
            """);
    assertThat(created.status()).isEqualTo(201);
    String campaign = created.json().get("campaign_id").asString();
    service.importLeads(campaign, "sim", "simulation.test", LEADS);
    ZoneId newYork = ZoneId.of("America/New_York");
    LocalDate monday =
        LocalDate.now(newYork).plusDays(2).with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY));

    long began = System.nanoTime();
    String settings =
        "{\"reply_rate\": 0.05, \"opt_out_rate\": 0.01, \"seed\": 1, \"start_at\": \""
            + monday.atTime(9, 0).atZone(newYork).toInstant()
            + "\"}";
    var response =
        service.send(
            service
                .request("/api/v1/campaigns/" + campaign + "/simulate", RunningService.KEY)
                .timeout(Duration.ofMinutes(15))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(settings)));
    double seconds = (System.nanoTime() - began) / 1e9;

    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    JsonNode projection = response.json();
    long hooks =
        projection
            .get("days")
            .valueStream()
            .mapToLong(d -> d.get("by_step").get("hook").asLong())
            .sum();
    System.out.printf(
        "BENCHMARK simulation leads=%d seconds=%.1f leads_per_second=%.0f sent=%d days=%d%n",
        LEADS,
        seconds,
        LEADS / seconds,
        projection.get("projected").get("sent").asLong(),
        projection.get("days").size());
    Figures.record(Figure.of("simulation-10k-leads", seconds, "s", "<= 60"));
    assertThat(projection.get("simulated_leads").asLong()).isEqualTo(LEADS);
    assertThat(hooks).isEqualTo(LEADS);
  }
}
