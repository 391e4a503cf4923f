package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.storetest.bench.Figure;
import dev.sequencer.storetest.bench.Figures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * How fast the embedded default gets hooks out: a campaign of one email step that may send at any
 * instant, with no limits, started with all its leads imported, timed from {@code POST …/start}
 * until every hook is sent (its message {@code SENT} in PostgreSQL). Real time, one process: the
 * API, the worker, Temporal's test server and GreenMail share the cores with PostgreSQL.
 *
 * <p>{@code -Dsequencer.benchmark.hookLeads=N} runs it with another number of leads.
 */
@Timeout(900)
class HookThroughputBenchmarkTest {

  static final int LEADS = Integer.getInteger("sequencer.benchmark.hookLeads", 2_000);

  private final RunningService service = RunningService.get();

  @Test
  void hooksOfEveryLeadOfAStartedCampaign() throws Exception {
    // No frequency cap either: every address is new, but the cap's check would still be timed.
    var created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "Hook throughput", "channel": "email",
             "sender": {"email": "ada@acme.test", "name": "Ada Lovelace"},
             "steps": [{"type": "hook", "day": 0, "subject": "Quick idea for {{company|your team}}",
                        "body": "Hi {{first_name|there}},\\nAn idea for {{company|you}}."}],
             "schedule": {"timezone": "UTC", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
             "limits": {"frequency_cap_days": 0}}
            """);
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    String campaign = created.json().get("campaign_id").asString();
    service.importLeads(campaign, "hook", "hooks.test", LEADS);
    JdbcClient jdbc = service.bean(JdbcClient.class);

    Instant startedAt = Instant.now();
    long began = System.nanoTime();
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/start", "{}").status())
        .isEqualTo(202);
    long deadline = began + Duration.ofMinutes(10).toNanos();
    long sent;
    while ((sent = service.sentMessages(campaign)) < LEADS) {
      assertThat(System.nanoTime()).as("%d of %d hooks sent", sent, LEADS).isLessThan(deadline);
      Thread.sleep(50);
    }
    double seconds = (System.nanoTime() - began) / 1e9;

    // Where the time went: until the first hook (the run starting, the first leads enrolled and
    // planned), then from the first hook to the last.
    List<Instant> span =
        jdbc.sql(
                "select min(sent_at), max(sent_at) from messages"
                    + " where campaign_id = ? and status = 'SENT'")
            .param(campaign)
            .query(
                (rs, i) -> List.of(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()))
            .single();
    System.out.printf(
        "BENCHMARK hook-throughput leads=%d seconds=%.1f hooks_per_second=%.1f"
            + " first_hook_after_seconds=%.1f first_to_last_seconds=%.1f%n",
        LEADS,
        seconds,
        LEADS / seconds,
        Duration.between(startedAt, span.get(0)).toMillis() / 1e3,
        Duration.between(span.get(0), span.get(1)).toMillis() / 1e3);
    Figures.record(Figure.of("hook-throughput-embedded", LEADS / seconds, "hooks/s", ">= 200"));
    assertThat(sent).isEqualTo(LEADS);
    assertThat(
            jdbc.sql(
                    "select count(distinct lead_pk) from messages"
                        + " where campaign_id = ? and status = 'SENT'")
                .param(campaign)
                .query(Long.class)
                .single())
        .isEqualTo(LEADS);
  }
}
