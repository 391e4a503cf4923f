package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.activities.messaging.SendMetrics;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Limits as a calendar of slots: {@value #DEFAULT_LEADS} leads against a daily limit of 125,
 * through the whole service on a time-skipping Temporal server, to the end of its days (a part day,
 * seven whole days, a part day). Each lead's hook takes its slot before it waits and wakes once, at
 * it: the send activity runs at most 1.05 times per message, no day goes above the limit, and each
 * whole day's sends are spread across the window.
 *
 * <p>Time skipping serialises the wake-ups (each at its own instant), about 20 ms each on two
 * cores; the bench command runs the same case with 10,000 leads and 80 days ({@link
 * DailyLimitBenchmarkTest}). {@code -Dsequencer.dailyLimitLeads=N} runs it with another number of
 * leads (at least 375, for one whole day between the first and the last).
 */
class DailyLimitAtScaleTest {

  static final int DEFAULT_LEADS = 1_000;

  private static final int LEADS = Integer.getInteger("sequencer.dailyLimitLeads", DEFAULT_LEADS);

  private static RunningService service;

  @BeforeAll
  static void start() {
    service = RunningService.start("--sequencer.embedded.temporal-time-skipping=true");
  }

  @AfterAll
  static void stop() {
    service.context.close();
  }

  @Test
  void leadsWakeOnceAndSpreadAcrossEachDayBelowTheLimit() throws Exception {
    double ratio = run(service, LEADS);
    assertThat(ratio).isLessThanOrEqualTo(1.05);
  }

  /**
   * Runs {@code leadCount} one-step leads against a daily limit of 125 to the end, checks every
   * day, and returns the send activity's executions per message sent.
   */
  static double run(RunningService service, int leadCount) throws Exception {
    int dailyLimit = 125;
    var created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "Daily limit at scale", "channel": "email", "sender": {"email": "ada@acme.test"},
             "steps": [{"type": "hook", "day": 0, "subject": "Hi", "body": "Hello"}],
             "limits": {"daily_limit": 125},
             "schedule": {"timezone": "UTC", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
            """);
    String campaign = created.json().get("campaign_id").asString();
    StringBuilder leads = new StringBuilder("lead_id,email\n");
    for (int i = 0; i < leadCount; i++) {
      leads.append("limit-").append(i).append(",limit").append(i).append("@example.com\n");
    }
    assertThat(
            service
                .postCsv("/api/v1/campaigns/" + campaign + "/leads", leads.toString())
                .json()
                .get("accepted")
                .asInt())
        .isEqualTo(leadCount);
    SendMetrics metrics = service.bean(SendMetrics.class);
    double executionsBefore = metrics.executions();
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");

    JdbcClient jdbc = service.bean(JdbcClient.class);
    awaitLong(
        () ->
            jdbc.sql("select count(*) from leads where campaign_id = ? and status = 'COMPLETED'")
                .param(campaign)
                .query(Long.class)
                .single(),
        leadCount);
    double executions = metrics.executions() - executionsBefore;
    List<Instant> sentAt =
        jdbc.sql(
                "select sent_at from messages where campaign_id = ? and status = 'SENT'"
                    + " order by sent_at")
            .param(campaign)
            .query(Instant.class)
            .list();
    System.out.printf(
        "DAILY-LIMIT leads=%d sent=%d send_executions=%.0f ratio=%.3f%n",
        leadCount, sentAt.size(), executions, executions / sentAt.size());
    assertThat(sentAt).hasSize(leadCount);
    TreeMap<LocalDate, List<Instant>> perDay =
        sentAt.stream()
            .collect(
                Collectors.groupingBy(
                    at -> LocalDate.ofInstant(at, ZoneOffset.UTC),
                    TreeMap::new,
                    Collectors.toList()));
    assertThat(perDay.values()).allSatisfy(day -> assertThat(day).hasSizeLessThanOrEqualTo(125));
    // Whole days in the middle are full and spread over the window: 24 h / 125 = 691.2 s apart,
    // less at most 30 s of jitter each side.
    List<List<Instant>> fullDays = List.copyOf(perDay.values()).subList(1, perDay.size() - 1);
    assertThat(fullDays).isNotEmpty().allSatisfy(day -> assertThat(day).hasSize(dailyLimit));
    for (List<Instant> day : fullDays) {
      for (int i = 1; i < day.size(); i++) {
        assertThat(Duration.between(day.get(i - 1), day.get(i)))
            .isGreaterThanOrEqualTo(Duration.ofSeconds(691 - 60));
      }
      assertThat(Duration.between(day.get(0), day.get(day.size() - 1)))
          .isGreaterThan(Duration.ofHours(23));
    }
    return executions / sentAt.size();
  }

  private static void awaitLong(java.util.function.Supplier<Long> value, long expected)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(30));
    long last = -1;
    while (Instant.now().isBefore(deadline)) {
      last = value.get();
      if (last == expected) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("reached " + last + " of " + expected + " within 30 minutes");
  }
}
