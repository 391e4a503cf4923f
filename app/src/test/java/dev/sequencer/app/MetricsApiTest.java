package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sequencer.analysis.AutoWinnerCheck;
import dev.sequencer.analysis.Decision;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/campaigns/{id}/metrics} over HTTP, on a campaign whose leads, messages and
 * timeline events are written straight into the tables (as the workflows would have left them) and
 * whose conversions are reported through {@code POST /api/v1/conversions}. Every number is
 * asserted.
 */
class MetricsApiTest {

  static final Instant T0 = Instant.parse("2026-09-01T09:00:00Z");

  private final RunningService service = RunningService.get();
  private final JdbcClient jdbc = service.bean(JdbcClient.class);

  /** A draft email campaign with variants A and B (50 %), a 10 % holdout and auto-winner on. */
  static String createAbCampaign(RunningService service, String name, int windowDays) {
    RunningService.Response created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "%s", "channel": "email",
             "sender": {"email": "ada@acme.test", "name": "Ada Lovelace"},
             "variants": [{"name": "B", "allocation_percentage": 50,
                           "steps": [{"type": "hook", "subject": "Another idea",
                                      "body": "Hello {{first_name|there}}"}]}],
             "holdout_percentage": 10,
             "attribution_window_days": %d,
             "auto_winner": {"enabled": true, "metric": "reply_rate", "confidence": 0.95,
                             "min_sample": 10},
             "schedule": {"timezone": "UTC", "holiday_calendar": null}}
            """
                .formatted(name, windowDays));
    if (created.status() != 201) {
      throw new IllegalStateException("campaign not created: " + created);
    }
    return created.json().get("campaign_id").asString();
  }

  /** Writes leads, messages and events of one campaign straight into the tables. */
  static final class Rows {
    private final JdbcClient jdbc;
    private final String campaign;
    private final String org;
    private int messages;

    Rows(JdbcClient jdbc, String campaign) {
      this.jdbc = jdbc;
      this.campaign = campaign;
      this.org =
          jdbc.sql("select organization_id from campaigns where id = ?")
              .param(campaign)
              .query(String.class)
              .single();
    }

    long lead(String leadId, String status, String variant) {
      return jdbc.sql(
              """
              insert into leads (organization_id, campaign_id, lead_id, email, phone, timezone,
                                 status, variant, created_at, updated_at)
              values (?, ?, ?, ?, ?, 'UTC', ?, ?, ?, ?) returning id
              """)
          .params(
              org,
              campaign,
              leadId,
              leadId + "@example.com",
              "+1415555" + String.format("%04d", Math.abs(leadId.hashCode()) % 10_000),
              status,
              variant,
              ts(T0.minus(Duration.ofHours(1))),
              ts(T0))
          .query(Long.class)
          .single();
    }

    /** A message of {@code step}; {@code sentAt} null for a hand-over that failed. */
    String message(long lead, String step, String status, Instant sentAt) {
      String id = "msg_" + campaign + "_" + (++messages);
      jdbc.sql(
              """
              insert into messages (id, organization_id, campaign_id, lead_pk, step_type, channel,
                                    idempotency_key, recipient, body_text, status, created_at,
                                    sent_at, updated_at)
              values (?, ?, ?, ?, ?, 'EMAIL', ?, 'x@example.com', 'Hi', ?, ?, ?, ?)
              """)
          .params(
              id,
              org,
              campaign,
              lead,
              step,
              id,
              status,
              ts(sentAt == null ? T0 : sentAt),
              sentAt == null ? null : ts(sentAt),
              ts(T0))
          .update();
      event(lead, id, step, sentAt == null ? "failed" : "sent", "", sentAt == null ? T0 : sentAt);
      return id;
    }

    void event(long lead, String messageId, String step, String event, String detail, Instant at) {
      jdbc.sql(
              """
              insert into lead_events (organization_id, campaign_id, lead_pk, message_id,
                                       step_type, event, detail, at)
              values (?, ?, ?, ?, ?, ?, ?, ?)
              """)
          .params(org, campaign, lead, messageId, step, event, detail, ts(at))
          .update();
    }

    void event(long lead, String event, String detail, Instant at) {
      event(lead, null, null, event, detail, at);
    }
  }

  static Timestamp ts(Instant at) {
    return Timestamp.from(at);
  }

  static Instant days(double days) {
    return T0.plus(Duration.ofMinutes(Math.round(days * 24 * 60)));
  }

  @Test
  void everyNumberOfASmallCampaign() {
    String campaign = createAbCampaign(service, "Metrics", 7);
    Rows rows = new Rows(jdbc, campaign);

    // Variant A.
    // a1: hook (opened), proof, then an interested reply after the proof; the sequence's own
    // closing "replied" event carries no classification and must not count twice.
    long a1 = rows.lead("a1", "REPLIED", "A");
    String a1Hook = rows.message(a1, "hook", "SENT", T0);
    rows.event(a1, a1Hook, "hook", "opened", "pixel", days(0.1));
    rows.message(a1, "proof", "SENT", days(3));
    rows.event(a1, "replied", "interested: sounds good, call me", days(3.1));
    rows.event(a1, "replied", "replied", days(3.1));
    // a2: all three steps, the hook delivered, the proof opened and clicked twice; no reply.
    long a2 = rows.lead("a2", "COMPLETED", "A");
    rows.message(a2, "hook", "DELIVERED", T0);
    String a2Proof = rows.message(a2, "proof", "SENT", days(3));
    rows.event(a2, a2Proof, "proof", "opened", "pixel", days(3.2));
    rows.event(a2, a2Proof, "proof", "clicked", "link 0", days(3.3));
    rows.event(a2, a2Proof, "proof", "clicked", "link 1", days(3.4));
    rows.message(a2, "fomo", "SENT", days(7));
    rows.event(a2, "completed", "completed", days(7));
    // a3: an unsubscribe reply to the hook: a reply and an opt-out.
    long a3 = rows.lead("a3", "OPTED_OUT", "A");
    rows.message(a3, "hook", "SENT", T0);
    rows.event(a3, "replied", "unsubscribe: remove me", days(0.05));
    rows.event(a3, "opted_out", "opted out by reply: remove me", days(0.05));
    // a4: the hook could not be handed over: failed, never messaged.
    long a4 = rows.lead("a4", "FAILED", "A");
    rows.message(a4, "hook", "FAILED", null);
    // a5: only an auto-reply and an out-of-office: no human reply.
    long a5 = rows.lead("a5", "ACTIVE", "A");
    rows.message(a5, "hook", "SENT", T0);
    rows.event(a5, "auto_reply", "auto_reply: received", days(0.01));
    rows.event(a5, "out_of_office", "out_of_office: back on 2026-09-10", days(0.02));

    // Variant B.
    long b1 = rows.lead("b1", "REPLIED", "B");
    rows.message(b1, "hook", "SENT", T0);
    rows.event(b1, "replied", "not_interested", days(1));
    long b2 = rows.lead("b2", "BOUNCED", "B");
    rows.message(b2, "hook", "SENT", T0);
    rows.event(b2, "bounced", "bounced by bounce: 5.1.1", days(0.01));
    // b3: replied "neutral" after the fomo (the campaign does not stop on replies here).
    long b3 = rows.lead("b3", "COMPLETED", "B");
    rows.message(b3, "hook", "SENT", T0);
    rows.message(b3, "proof", "SENT", days(3));
    String b3Fomo = rows.message(b3, "fomo", "SENT", days(7));
    rows.event(b3, b3Fomo, "fomo", "opened", "pixel", days(7.5));
    rows.event(b3, "replied", "neutral: thanks", days(8));

    // Holdout, suppressed and pending leads: no messages.
    long h1 = rows.lead("h1", "HOLDOUT", null);
    long h2 = rows.lead("h2", "HOLDOUT", null);
    long h3 = rows.lead("h3", "HOLDOUT", null);
    for (long h : new long[] {h1, h2, h3}) {
      rows.event(h, "holdout", "kept out of all messages to measure lift", T0);
    }
    rows.lead("s1", "SUPPRESSED", null);
    rows.lead("p1", "PENDING", null);

    // Conversions, through the API.
    assertAttributed(convert(campaign, "\"lead_id\": \"a1\"", 100, days(5)), true, "message");
    JsonNode repeated = convert(campaign, "\"lead_id\": \"a1\"", 100, days(5));
    assertThat(repeated.get("duplicate").asBoolean()).isTrue();
    assertAttributed(convert(campaign, "\"lead_id\": \"a2\"", 80, days(20)), false, "message");
    assertAttributed(
        convert(campaign, "\"email\": \"B3@Example.com\"", 50.5, days(9)), true, "message");
    assertAttributed(convert(campaign, "\"lead_id\": \"a5\"", 10, days(-1)), false, null);
    assertAttributed(convert(campaign, "\"lead_id\": \"h1\"", 20, days(2)), true, "holdout");
    assertAttributed(convert(campaign, "\"lead_id\": \"h3\"", 30, days(10)), false, "holdout");

    RunningService.Response response = service.get("/api/v1/campaigns/" + campaign + "/metrics");
    assertThat(response.status()).isEqualTo(200);
    JsonNode m = response.json();
    assertThat(m.get("campaign_id").asString()).isEqualTo(campaign);

    assertGroup(
        m.get("totals"),
        Map.ofEntries(
            Map.entry("leads", 13.0),
            Map.entry("holdout", 3.0),
            Map.entry("messaged", 7.0),
            Map.entry("sent", 12.0),
            Map.entry("delivered", 1.0),
            Map.entry("opened", 3.0),
            Map.entry("clicked", 1.0),
            Map.entry("replied", 4.0),
            Map.entry("positive_replies", 1.0),
            Map.entry("opted_out", 1.0),
            Map.entry("bounced", 1.0),
            Map.entry("failed", 1.0),
            Map.entry("converted", 2.0),
            Map.entry("conversion_value", 150.5),
            Map.entry("reply_rate", 4.0 / 7),
            Map.entry("positive_reply_rate", 1.0 / 7),
            Map.entry("opt_out_rate", 1.0 / 7),
            Map.entry("conversion_rate", 2.0 / 7)));
    assertGroup(
        m.get("by_variant").get("A"),
        Map.ofEntries(
            Map.entry("leads", 5.0),
            Map.entry("holdout", 0.0),
            Map.entry("messaged", 4.0),
            Map.entry("sent", 7.0),
            Map.entry("delivered", 1.0),
            Map.entry("opened", 2.0),
            Map.entry("clicked", 1.0),
            Map.entry("replied", 2.0),
            Map.entry("positive_replies", 1.0),
            Map.entry("opted_out", 1.0),
            Map.entry("bounced", 0.0),
            Map.entry("failed", 1.0),
            Map.entry("converted", 1.0),
            Map.entry("conversion_value", 100.0),
            Map.entry("reply_rate", 0.5),
            Map.entry("positive_reply_rate", 0.25),
            Map.entry("opt_out_rate", 0.25),
            Map.entry("conversion_rate", 0.25)));
    assertGroup(
        m.get("by_variant").get("B"),
        Map.ofEntries(
            Map.entry("leads", 3.0),
            Map.entry("holdout", 0.0),
            Map.entry("messaged", 3.0),
            Map.entry("sent", 5.0),
            Map.entry("delivered", 0.0),
            Map.entry("opened", 1.0),
            Map.entry("clicked", 0.0),
            Map.entry("replied", 2.0),
            Map.entry("positive_replies", 0.0),
            Map.entry("opted_out", 0.0),
            Map.entry("bounced", 1.0),
            Map.entry("failed", 0.0),
            Map.entry("converted", 1.0),
            Map.entry("conversion_value", 50.5),
            Map.entry("reply_rate", 2.0 / 3),
            Map.entry("positive_reply_rate", 0.0),
            Map.entry("opt_out_rate", 0.0),
            Map.entry("conversion_rate", 1.0 / 3)));
    assertThat(m.get("by_variant").propertyNames()).containsExactly("A", "B");

    JsonNode holdout = m.get("holdout");
    assertThat(holdout.get("leads").asLong()).isEqualTo(3);
    assertThat(holdout.get("converted").asLong()).isEqualTo(1);
    assertThat(holdout.get("conversion_rate").asDouble()).isCloseTo(1.0 / 3, within(1e-12));
    // (2/7 − 1/3) / (1/3) = −1/7: the messaged leads converted less than the holdout.
    assertThat(holdout.get("lift").asDouble()).isCloseTo(-1.0 / 7, within(1e-12));

    assertThat(m.get("by_step").propertyNames()).containsExactly("hook", "proof", "fomo");
    assertStep(m.get("by_step").get("hook"), 7, 1, 1, 0, 2, 0);
    assertStep(m.get("by_step").get("proof"), 3, 0, 1, 1, 1, 1);
    assertStep(m.get("by_step").get("fomo"), 2, 0, 1, 0, 1, 0);
    assertThat(m.get("by_step").get("hook").get("open_rate").asDouble())
        .isCloseTo(1.0 / 7, within(1e-12));
    assertThat(m.get("by_step").get("proof").get("reply_rate").asDouble())
        .isCloseTo(1.0 / 3, within(1e-12));

    // The A/B test on replies: A 2 of 4, B 2 of 3.
    JsonNode ab = m.get("ab_test");
    long[][] table = {{2, 2}, {2, 1}};
    double statistic = pearson(table);
    assertThat(ab.get("metric").asString()).isEqualTo("reply_rate");
    assertThat(ab.get("test").asString()).isEqualTo("chi_square");
    assertThat(ab.get("statistic").asDouble()).isCloseTo(statistic, within(1e-9));
    assertThat(ab.get("statistic").asDouble()).isCloseTo(7.0 / 36, within(1e-9));
    assertThat(ab.get("p_value").asDouble()).isCloseTo(0.6592430036926307, within(1e-9));
    assertThat(ab.get("confidence").asDouble()).isEqualTo(0.95);
    assertThat(ab.get("significant").asBoolean()).isFalse();
    assertThat(ab.get("min_sample_reached").asBoolean()).isFalse();
    assertThat(ab.get("winner").isNull()).isTrue();
    assertThat(ab.get("decided_at").isNull()).isTrue();
    assertInterval(ab.get("intervals").get("A"), 2, 4);
    assertInterval(ab.get("intervals").get("B"), 2, 3);

    // The per-lead rows the triggers kept as the rows came in are what a rebuild from all the
    // campaign's messages and events computes.
    jdbc.sql("select lead_metrics_rebuild(?)").param(campaign).query(Object.class).list();
    assertThat(service.get("/api/v1/campaigns/" + campaign + "/metrics").json()).isEqualTo(m);
  }

  @Test
  void aDecidedWinnerShowsInTheMetrics() {
    String campaign = createAbCampaign(service, "Decided", 7);
    Rows rows = new Rows(jdbc, campaign);
    // 10 messaged leads per variant (the minimum sample): A 1 reply, B 9.
    for (int i = 1; i <= 10; i++) {
      long a = rows.lead("a" + i, i <= 1 ? "REPLIED" : "COMPLETED", "A");
      rows.message(a, "hook", "SENT", T0);
      long b = rows.lead("b" + i, i <= 9 ? "REPLIED" : "COMPLETED", "B");
      rows.message(b, "hook", "SENT", T0);
      if (i <= 1) {
        rows.event(a, "replied", "neutral: hm", days(1));
      }
      if (i <= 9) {
        rows.event(b, "replied", "interested: yes", days(1));
      }
    }
    Decision decision = service.bean(AutoWinnerCheck.class).check(campaign).orElseThrow();
    assertThat(decision.winner()).isEqualTo("B");

    JsonNode ab = service.get("/api/v1/campaigns/" + campaign + "/metrics").json().get("ab_test");
    // [[1, 9], [9, 1]]: expected 5 everywhere, 4 × 16 / 5 = 12.8.
    assertThat(ab.get("statistic").asDouble()).isCloseTo(12.8, within(1e-9));
    assertThat(ab.get("p_value").asDouble()).isCloseTo(decision.pValue(), within(1e-12));
    assertThat(ab.get("p_value").asDouble()).isLessThan(0.001);
    assertThat(ab.get("significant").asBoolean()).isTrue();
    assertThat(ab.get("min_sample_reached").asBoolean()).isTrue();
    assertThat(ab.get("winner").asString()).isEqualTo("B");
    assertThat(Instant.parse(ab.get("decided_at").asString()))
        .isEqualTo(decision.decidedAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
  }

  @Test
  void anotherOrganizationsCampaignIsNotFound() {
    String campaign = createAbCampaign(service, "Private", 7);
    service
        .bean(dev.sequencer.store.organization.ApiKeys.class)
        .ensure("org_metrics_other", "Other", "metrics-other-key", "test");
    RunningService.Response response =
        service.send(
            service
                .request("/api/v1/campaigns/" + campaign + "/metrics", "metrics-other-key")
                .GET());
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(service.get("/api/v1/campaigns/cmp_missing/metrics").status()).isEqualTo(404);
  }

  @Test
  void anEmptyCampaignHasZeroesAndNoTest() {
    String campaign = createAbCampaign(service, "Empty", 7);
    JsonNode m = service.get("/api/v1/campaigns/" + campaign + "/metrics").json();
    assertThat(m.get("totals").get("leads").asLong()).isZero();
    assertThat(m.get("totals").get("reply_rate").asDouble()).isZero();
    assertThat(m.get("holdout").get("lift").isNull()).isTrue();
    assertThat(m.get("ab_test").get("statistic").asDouble()).isZero();
    assertThat(m.get("ab_test").get("p_value").asDouble()).isEqualTo(1.0);
    assertThat(m.get("ab_test").get("intervals").get("A").get(0).asDouble()).isZero();
    assertThat(m.get("ab_test").get("intervals").get("A").get(1).asDouble()).isEqualTo(1.0);
  }

  private JsonNode convert(String campaign, String lead, double value, Instant occurredAt) {
    RunningService.Response response =
        service.post(
            "/api/v1/conversions",
            "{\"campaign_id\": \"%s\", %s, \"event\": \"purchase\", \"value\": %s, \"occurred_at\": \"%s\"}"
                .formatted(campaign, lead, value, occurredAt));
    assertThat(response.status()).as(response.toString()).isEqualTo(202);
    return response.json();
  }

  private static void assertAttributed(JsonNode conversion, boolean attributed, String basis) {
    assertThat(conversion.get("attributed").asBoolean())
        .as(conversion.toString())
        .isEqualTo(attributed);
    if (basis == null) {
      assertThat(conversion.get("basis").isNull()).isTrue();
    } else {
      assertThat(conversion.get("basis").asString()).isEqualTo(basis);
    }
  }

  private static void assertGroup(JsonNode group, Map<String, Double> expected) {
    assertThat(group.propertyNames()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach(
        (field, value) ->
            assertThat(group.get(field).asDouble()).as(field).isCloseTo(value, within(1e-12)));
  }

  private static void assertStep(
      JsonNode step,
      long sent,
      long delivered,
      long opened,
      long clicked,
      long replied,
      long positive) {
    assertThat(step.get("sent").asLong()).as("sent").isEqualTo(sent);
    assertThat(step.get("delivered").asLong()).as("delivered").isEqualTo(delivered);
    assertThat(step.get("opened").asLong()).as("opened").isEqualTo(opened);
    assertThat(step.get("clicked").asLong()).as("clicked").isEqualTo(clicked);
    assertThat(step.get("replied").asLong()).as("replied").isEqualTo(replied);
    assertThat(step.get("positive_replies").asLong()).as("positive").isEqualTo(positive);
    assertThat(step.get("reply_rate").asDouble()).isCloseTo((double) replied / sent, within(1e-12));
    assertThat(step.get("click_rate").asDouble()).isCloseTo((double) clicked / sent, within(1e-12));
  }

  private static void assertInterval(JsonNode interval, long successes, long trials) {
    double z = 1.959963984540054;
    double n = trials;
    double p = successes / n;
    double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
    double half = z / (1 + z * z / n) * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
    assertThat(interval.get(0).asDouble()).isCloseTo(centre - half, within(1e-9));
    assertThat(interval.get(1).asDouble()).isCloseTo(centre + half, within(1e-9));
  }

  static double pearson(long[][] t) {
    double[] rows = new double[t.length];
    double[] columns = new double[t[0].length];
    double total = 0;
    for (int r = 0; r < t.length; r++) {
      for (int c = 0; c < t[0].length; c++) {
        rows[r] += t[r][c];
        columns[c] += t[r][c];
        total += t[r][c];
      }
    }
    double statistic = 0;
    for (int r = 0; r < t.length; r++) {
      for (int c = 0; c < t[0].length; c++) {
        double expected = rows[r] * columns[c] / total;
        statistic += Math.pow(t[r][c] - expected, 2) / expected;
      }
    }
    return statistic;
  }
}
