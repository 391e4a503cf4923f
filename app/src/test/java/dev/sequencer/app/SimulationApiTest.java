package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/campaigns/{id}/simulate}: projected calendars checked against calendars
 * worked out by hand, the same projection for the same seed, and nothing of the real campaign
 * touched.
 */
class SimulationApiTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private final RunningService service = RunningService.get();

  /**
   * Five leads against a daily limit of 2, Mon–Fri 09:00–17:00 in Berlin, no holidays, launched on
   * a Monday. Worked out by hand: hooks take Monday's two slots, Tuesday's two and Wednesday's
   * first; each proof is three business days after its hook (Mon → Thu, Tue → Fri, Wed → next Mon)
   * and each FOMO seven (Mon → next Wed, Tue → next Thu, Wed → next Fri); no day holds more than
   * two, so only the three later hooks wait for the limit.
   */
  @Test
  void aDailyLimitSpreadsHooksOverTheWeekAsWorkedOutByHand() {
    String campaign =
        createCampaign(
            "Simulated limit",
            "Europe/Berlin",
            "\"holiday_calendar\": null",
            "\"limits\": {\"daily_limit\": 2},");
    addLeads(campaign, "limit", 5, "Europe/Berlin");
    LocalDate monday = nextWeekday(DayOfWeek.MONDAY, BERLIN);
    Instant launch = monday.atTime(9, 0).atZone(BERLIN).toInstant();

    JsonNode projection = simulate(campaign, launch, "\"reply_rate\": 0, \"opt_out_rate\": 0");

    Map<LocalDate, String> expected = new LinkedHashMap<>();
    expected.put(monday, "2 hook");
    expected.put(monday.plusDays(1), "2 hook");
    expected.put(monday.plusDays(2), "1 hook");
    expected.put(monday.plusDays(3), "2 proof");
    expected.put(monday.plusDays(4), "2 proof");
    expected.put(monday.plusDays(7), "1 proof");
    expected.put(monday.plusDays(9), "2 fomo");
    expected.put(monday.plusDays(10), "2 fomo");
    expected.put(monday.plusDays(11), "1 fomo");
    assertThat(days(projection)).isEqualTo(expected);
    assertThat(projection.get("leads").asLong()).isEqualTo(5);
    assertThat(projection.get("simulated_leads").asLong()).isEqualTo(5);
    assertThat(projection.get("projected").get("sent").asLong()).isEqualTo(15);
    assertThat(projection.get("projected").get("completed").asLong()).isEqualTo(5);
    assertThat(projection.get("deferred").get("daily_limit").asLong()).isEqualTo(3);
    assertThat(projection.get("deferred").get("holiday").asLong()).isZero();
    // Monday's two slots are four hours apart (an 8-hour window over a limit of 2), give or take
    // the half-minute of jitter; the last FOMO goes in the second Friday's window.
    Instant first = Instant.parse(projection.get("first_send_at").asString());
    assertThat(Duration.between(launch, first)).isBetween(Duration.ZERO, Duration.ofSeconds(30));
    Instant last = Instant.parse(projection.get("last_send_at").asString());
    assertThat(LocalDate.ofInstant(last, BERLIN)).isEqualTo(monday.plusDays(11));
    assertThat(last.atZone(BERLIN).toLocalTime())
        .isBetween(LocalTime.of(9, 0), LocalTime.of(17, 0));
    assertThat(projection.get("warnings").valueStream().map(JsonNode::asString))
        .noneMatch(w -> w.startsWith("daily limit"));
  }

  /** Two of the five leads, with two fifths of the limit: the counts scaled back to five. */
  @Test
  void aSampleRunsItsShareAndIsScaledToTheCampaign() {
    String campaign =
        createCampaign(
            "Simulated sample",
            "Europe/Berlin",
            "\"holiday_calendar\": null",
            "\"limits\": {\"daily_limit\": 2},");
    addLeads(campaign, "sample", 5, "Europe/Berlin");
    Instant launch = nextWeekday(DayOfWeek.MONDAY, BERLIN).atTime(9, 0).atZone(BERLIN).toInstant();

    JsonNode projection =
        simulate(campaign, launch, "\"reply_rate\": 0, \"opt_out_rate\": 0, \"sample\": 2");

    assertThat(projection.get("leads").asLong()).isEqualTo(5);
    assertThat(projection.get("simulated_leads").asLong()).isEqualTo(2);
    assertThat(projection.get("projected").get("sent").asLong()).isEqualTo(15);
    assertThat(projection.get("projected").get("completed").asLong()).isEqualTo(5);
    assertThat(projection.get("warnings").valueStream().map(JsonNode::asString))
        .contains("projected from a sample of 2 of 5 leads; counts are scaled");
  }

  /**
   * Launched at 09:00 on Thanksgiving in New York with the US calendar: every hook moves to the
   * Friday after (a business day: not a federal holiday), the proofs go three business days later
   * (Wednesday) and the FOMOs seven (the Tuesday after next), all in the window.
   */
  @Test
  void aLaunchOnThanksgivingWaitsForTheNextBusinessDay() {
    String campaign = createCampaign("Simulated holiday", "America/New_York", "", "");
    addLeads(campaign, "holiday", 3, "America/New_York");
    LocalDate thanksgiving = nextThanksgiving();
    Instant launch = thanksgiving.atTime(9, 0).atZone(NEW_YORK).toInstant();

    JsonNode projection = simulate(campaign, launch, "\"reply_rate\": 0, \"opt_out_rate\": 0");

    LocalDate friday = thanksgiving.plusDays(1);
    Map<LocalDate, String> expected = new LinkedHashMap<>();
    expected.put(friday, "3 hook");
    expected.put(friday.plusDays(5), "3 proof");
    expected.put(friday.plusDays(11), "3 fomo");
    assertThat(days(projection)).isEqualTo(expected);
    assertThat(projection.get("deferred").get("holiday").asLong()).isEqualTo(3);
    assertThat(projection.get("deferred").get("daily_limit").asLong()).isZero();
    assertThat(Instant.parse(projection.get("first_send_at").asString()))
        .isEqualTo(friday.atTime(9, 0).atZone(NEW_YORK).toInstant());
  }

  @Test
  void theSameSeedGivesTheSameProjectionAndTheRatesAreDrawn() {
    String campaign =
        createCampaign(
            "Simulated draws",
            "UTC",
            "\"holiday_calendar\": null",
            "\"holdout_percentage\": 10, \"variants\": [{\"name\": \"B\","
                + " \"allocation_percentage\": 50, \"steps\": [{\"type\": \"hook\","
                + " \"subject\": \"Another idea\", \"body\": \"Hi {{first_name|there}}\"}]}],");
    addLeads(campaign, "draws", 400, "UTC");
    Instant launch =
        nextWeekday(DayOfWeek.TUESDAY, ZoneId.of("UTC"))
            .atTime(10, 0)
            .toInstant(java.time.ZoneOffset.UTC);
    String rates =
        "\"reply_rate\": 0.2, \"opt_out_rate\": 0.05, \"bounce_rate\": 0.02, \"seed\": 7";

    JsonNode first = simulate(campaign, launch, rates);
    JsonNode again = simulate(campaign, launch, rates);
    JsonNode otherSeed = simulate(campaign, launch, rates.replace("\"seed\": 7", "\"seed\": 8"));

    assertThat(again).isEqualTo(first);
    assertThat(otherSeed.get("projected")).isNotEqualTo(first.get("projected"));
    JsonNode projected = first.get("projected");
    long holdout = projected.get("holdout").asLong();
    long messaged = 400 - holdout;
    // Each rate drawn per lead: well inside four standard deviations of its expectation.
    assertThat(holdout).isBetween(20L, 65L);
    assertThat(projected.get("replied").asLong())
        .isBetween(Math.round(messaged * 0.2) - 32, Math.round(messaged * 0.2) + 32);
    assertThat(projected.get("opted_out").asLong())
        .isBetween(Math.round(messaged * 0.05) - 18, Math.round(messaged * 0.05) + 18);
    assertThat(projected.get("bounced").asLong()).isBetween(0L, Math.round(messaged * 0.02) + 12);
    long sends = first.get("days").valueStream().mapToLong(d -> d.get("sends").asLong()).sum();
    assertThat(projected.get("sent").asLong()).isEqualTo(sends);
    // Everyone messaged gets a hook; a stop before the last step leaves fewer than three.
    long hooks =
        first.get("days").valueStream().mapToLong(d -> d.get("by_step").get("hook").asLong()).sum();
    assertThat(hooks).isEqualTo(messaged);
    assertThat(sends).isLessThan(3 * messaged).isGreaterThan(2 * messaged);
    long variantB =
        first.get("days").valueStream().mapToLong(d -> d.get("by_variant").get("B").asLong()).sum();
    assertThat(variantB).isPositive().isLessThan(sends);
  }

  @Test
  void nothingOfTheCampaignChangesAndNothingIsSent() throws Exception {
    String campaign = service.createOpenEmailCampaign("Simulated while running");
    service.importLeads(campaign, "running-sim", "sim.test", 4);
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/start", "{}").status())
        .isEqualTo(202);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (service.sentMessages(campaign) < 4 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(service.sentMessages(campaign)).isEqualTo(4);
    Thread.sleep(500);
    String before = fingerprint(campaign);
    long messages = allMessages();

    var response =
        service.post(
            "/api/v1/campaigns/" + campaign + "/simulate",
            "{\"reply_rate\": 0, \"opt_out_rate\": 0}");

    assertThat(response.status()).isEqualTo(200);
    JsonNode projection = response.json();
    // What remains of a running campaign: the four proofs and FOMOs, no hook again.
    long hooks = sum(projection, "hook");
    assertThat(hooks).isZero();
    assertThat(sum(projection, "proof")).isEqualTo(4);
    assertThat(sum(projection, "fomo")).isEqualTo(4);
    assertThat(fingerprint(campaign)).isEqualTo(before);
    assertThat(allMessages()).isEqualTo(messages);
  }

  @Test
  void badSettingsAreRefusedNamingTheField() {
    String campaign = service.createOpenEmailCampaign("Simulated badly");
    assertField(campaign, "{\"reply_rate\": 1.5}", "reply_rate");
    assertField(campaign, "{\"opt_out_rate\": -0.1}", "opt_out_rate");
    assertField(
        campaign,
        "{\"reply_rate\": 0.6, \"opt_out_rate\": 0.3, \"bounce_rate\": 0.2}",
        "reply_rate");
    assertField(campaign, "{\"sample\": 0}", "sample");
    assertField(campaign, "{\"sample\": 100001}", "sample");
    assertField(campaign, "{\"start_at\": \"tomorrow\"}", "start_at");
    assertField(campaign, "{\"start_at\": \"2001-01-01T00:00:00Z\"}", "start_at");
    assertField(campaign, "{\"variant_reply_rates\": {\"Z\": 0.1}}", "variant_reply_rates.Z");
    assertField(campaign, "{\"variant_reply_rates\": {\"A\": null}}", "variant_reply_rates.A");
    assertThat(service.post("/api/v1/campaigns/cmp_missing/simulate", "{}").status())
        .isEqualTo(404);
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/cancel", "{}").status())
        .isEqualTo(202);
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/simulate", "{}").status())
        .isEqualTo(409);
  }

  private void assertField(String campaign, String body, String field) {
    var response = service.post("/api/v1/campaigns/" + campaign + "/simulate", body);
    assertThat(response.status()).as(body).isEqualTo(400);
    assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
  }

  private String createCampaign(String name, String zone, String calendar, String extra) {
    var created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "%s", "channel": "email",
             "sender": {"email": "ada@acme.test", "name": "Ada Lovelace"},
             "steps": [
               {"type": "hook", "day": 0, "subject": "Idea", "body": "Hi {{first_name|there}}"},
               {"type": "proof", "day": 3, "subject": "Proof", "body": "Proof"},
               {"type": "fomo", "day": 7, "subject": "Last call", "body": "Last call"}],
             %s
             "schedule": {"timezone": "%s", "send_window": {"start": "09:00", "end": "17:00"}%s}}
            """
                .formatted(name, extra, zone, calendar.isEmpty() ? "" : ", " + calendar));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("campaign_id").asString();
  }

  private void addLeads(String campaign, String prefix, int count, String zone) {
    StringBuilder csv = new StringBuilder("lead_id,email,first_name,timezone\n");
    for (int i = 0; i < count; i++) {
      csv.append(prefix).append('-').append(i).append(',');
      csv.append(prefix).append(i).append("@sim.test,Sam,").append(zone).append('\n');
    }
    var imported = service.postCsv("/api/v1/campaigns/" + campaign + "/leads", csv.toString());
    assertThat(imported.json().get("accepted").asInt()).isEqualTo(count);
  }

  private JsonNode simulate(String campaign, Instant launch, String settings) {
    var response =
        service.post(
            "/api/v1/campaigns/" + campaign + "/simulate",
            "{" + settings + ", \"start_at\": \"" + launch + "\"}");
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

  /** Each day's sends as "count type" when one step type went out that day. */
  private static Map<LocalDate, String> days(JsonNode projection) {
    Map<LocalDate, String> days = new LinkedHashMap<>();
    for (JsonNode day : projection.get("days")) {
      StringBuilder what = new StringBuilder();
      day.get("by_step")
          .properties()
          .forEach(
              step -> {
                if (step.getValue().asLong() > 0) {
                  what.append(what.isEmpty() ? "" : ", ")
                      .append(step.getValue().asLong())
                      .append(' ')
                      .append(step.getKey());
                }
              });
      assertThat(day.get("sends").asLong()).isPositive();
      days.put(LocalDate.parse(day.get("date").asString()), what.toString());
    }
    return days;
  }

  private static long sum(JsonNode projection, String step) {
    return projection
        .get("days")
        .valueStream()
        .mapToLong(d -> d.get("by_step").get(step).asLong())
        .sum();
  }

  /** The first {@code day} after tomorrow (in {@code zone}), so a launch there is in the future. */
  private static LocalDate nextWeekday(DayOfWeek day, ZoneId zone) {
    return LocalDate.now(zone).plusDays(2).with(TemporalAdjusters.nextOrSame(day));
  }

  /** The next fourth Thursday of November whose morning is still ahead. */
  private static LocalDate nextThanksgiving() {
    for (int year = LocalDate.now(NEW_YORK).getYear(); ; year++) {
      LocalDate thanksgiving =
          LocalDate.of(year, 11, 1).with(TemporalAdjusters.dayOfWeekInMonth(4, DayOfWeek.THURSDAY));
      if (thanksgiving
          .atTime(9, 0)
          .atZone(NEW_YORK)
          .toInstant()
          .isAfter(Instant.now().plus(Duration.ofHours(1)))) {
        return thanksgiving;
      }
    }
  }

  private String fingerprint(String campaign) {
    return service
        .bean(JdbcClient.class)
        .sql(
            """
            select md5(coalesce(string_agg(x, '|' order by x), '')) from (
              select row(c.*)::text x from campaigns c where id = :c
              union all select row(l.*)::text from leads l where campaign_id = :c
              union all select row(s.*)::text from lead_steps s
                join leads l on l.id = s.lead_pk where l.campaign_id = :c
              union all select row(m.*)::text from messages m where campaign_id = :c
              union all select row(e.*)::text from lead_events e where campaign_id = :c
              union all select row(q.*)::text from daily_quota q where quota_key = :c
              union all select row(r.*)::text from send_reservations r where campaign_id = :c) t
            """)
        .param("c", campaign)
        .query(String.class)
        .single();
  }

  private long allMessages() {
    return service
        .bean(JdbcClient.class)
        .sql("select count(*) from messages")
        .query(Long.class)
        .single();
  }
}
