package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.audience.Audience;
import dev.sequencer.store.audience.AudienceSql;
import dev.sequencer.store.audience.Audiences;
import dev.sequencer.storetest.bench.Figure;
import dev.sequencer.storetest.bench.Figures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code GET /audiences/{id}/estimate} over a contact book of {@value #CONTACTS} contacts, for
 * audiences of different shapes: a selective tag-and-attribute filter the GIN indexes serve, a
 * broad attribute equality with exclusions and "not contacted within", tags with a "none" group,
 * and a numeric comparison no index serves. Each is asked {@value #RUNS} times over HTTP; the
 * figure is the p95 over all of them. {@code -Dsequencer.bench.verbose=true} prints each plan.
 */
class AudienceEstimateBenchmarkTest {

  static final int CONTACTS = 1_000_000;
  static final int RUNS = 100;

  private final RunningService service = RunningService.get();

  @Test
  void estimatesOverAMillionContacts() {
    RunningService.Organization org = service.newOrganization("Audience bench");
    JdbcClient jdbc = service.bean(JdbcClient.class);
    long started = System.nanoTime();
    insert(jdbc, org.id());
    jdbc.sql("vacuum analyze contacts").update();
    long insertMs = (System.nanoTime() - started) / 1_000_000;

    Map<String, String> shapes = new LinkedHashMap<>();
    shapes.put(
        "vip-team",
        "{\"name\": \"VIP teams\", \"filter\": {\"all\": ["
            + "{\"field\": \"tags\", \"op\": \"eq\", \"value\": \"vip\"},"
            + "{\"field\": \"attributes.plan\", \"op\": \"eq\", \"value\": \"team\"}]}}");
    shapes.put(
        "germany-rested",
        "{\"name\": \"Germany, rested\", \"filter\": {\"all\": ["
            + "{\"field\": \"attributes.country\", \"op\": \"eq\", \"value\": \"DE\"}]},"
            + " \"excluded_tags\": [\"churned\"], \"not_contacted_within_days\": 30}");
    shapes.put(
        "segments-not-beta",
        "{\"name\": \"Segments\", \"filter\": {\"any\": ["
            + "{\"field\": \"tags\", \"op\": \"in\", \"value\": [\"segment-3\", \"segment-7\"]}],"
            + " \"none\": [{\"field\": \"attributes.beta\", \"op\": \"eq\", \"value\": true}]}}");
    shapes.put(
        "seats-over-400",
        "{\"name\": \"Big accounts\", \"filter\": {\"all\": ["
            + "{\"field\": \"attributes.seats\", \"op\": \"gt\", \"value\": 400}]}}");
    // Expected sizes, counted from the generator's arithmetic (see insert).
    Map<String, Long> expected = new LinkedHashMap<>();
    for (int g = 1; g <= CONTACTS; g++) {
      boolean vip = g % 10 == 0;
      String plan = List.of("free", "pro", "team", "enterprise").get(g % 4);
      boolean germany = g % 8 == 1;
      boolean churned = g % 50 == 0;
      // Never contacted, or 30 or more days before the insert.
      boolean rested = g % 4 == 0 || g % 60 >= 30;
      boolean segment = g % 20 == 3 || g % 20 == 7;
      boolean beta = g % 7 == 0;
      count(expected, "vip-team", vip && plan.equals("team"));
      count(expected, "germany-rested", germany && !churned && rested);
      count(expected, "segments-not-beta", segment && !beta);
      count(expected, "seats-over-400", g % 500 > 400);
    }

    List<Double> all = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, String> shape : shapes.entrySet()) {
      var created = service.call("POST", "/api/v1/audiences", org.adminKey(), shape.getValue());
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      String id = created.json().get("audience_id").asString();
      String path = "/api/v1/audiences/" + id + "/estimate";
      for (int i = 0; i < 3; i++) {
        service.call("GET", path, org.adminKey(), null);
      }
      List<Double> times = new ArrayList<>();
      long size = -1;
      boolean exact = true;
      for (int i = 0; i < RUNS; i++) {
        long t = System.nanoTime();
        var response = service.call("GET", path, org.adminKey(), null);
        times.add((System.nanoTime() - t) / 1e6);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        size = response.json().get("size").asLong();
        exact = response.json().get("exact").asBoolean();
      }
      // Sampled: within 10 % of the true size.
      assertThat((double) size)
          .as(shape.getKey())
          .isBetween(0.9 * expected.get(shape.getKey()), 1.1 * expected.get(shape.getKey()));
      all.addAll(times);
      lines.add(
          String.format(
              "BENCHMARK audience-estimate shape=%s size=%d exact=%s expected=%d p50_ms=%.1f"
                  + " p95_ms=%.1f max_ms=%.1f",
              shape.getKey(),
              size,
              exact,
              expected.get(shape.getKey()),
              MetricsBenchmarkTest.percentile(times, 50),
              MetricsBenchmarkTest.percentile(times, 95),
              MetricsBenchmarkTest.percentile(times, 100)));
      if (Boolean.getBoolean("sequencer.bench.verbose")) {
        Audience audience = service.bean(Audiences.class).byId(org.id(), id).orElseThrow();
        AudienceSql.Clause where =
            AudienceSql.members(org.id(), audience.definition(), Instant.now());
        lines.add(
            String.join(
                "\n",
                jdbc.sql(
                        "explain (analyze, buffers) select count(*) from contacts c where "
                            + where.sql())
                    .params(where.params())
                    .query(String.class)
                    .list()));
      }
    }
    System.out.printf("BENCHMARK audience-estimate contacts=%d insert_ms=%d%n", CONTACTS, insertMs);
    lines.forEach(System.out::println);
    double p95 = MetricsBenchmarkTest.percentile(all, 95);
    System.out.printf("BENCHMARK audience-estimate-1m-contacts-p95 %.1f ms (goal <= 200)%n", p95);
    Figures.record(Figure.of("audience-estimate-1m-contacts-p95", p95, "ms", "<= 200"));
  }

  private static void count(Map<String, Long> counts, String shape, boolean member) {
    counts.merge(shape, member ? 1L : 0L, Long::sum);
  }

  /**
   * One million contacts of one organization, generated inside PostgreSQL: every 10th tagged vip,
   * every 3rd newsletter, every 50th churned, each in one of 20 segments; plan, seats and country
   * by the number; beta on every 7th; last contacted 0..59 days ago, or never for every 4th.
   */
  static void insert(JdbcClient jdbc, String organizationId) {
    jdbc.sql(
            """
            insert into contacts (organization_id, contact_id, email, first_name, company, tags,
                                  attributes, last_contacted_at, created_at, updated_at)
            select ?, 'c' || g, 'c' || g || '@example.com', 'F' || (g % 1000), 'Co' || (g % 5000),
                   array['segment-' || (g % 20)]
                     || case when g % 10 = 0 then array['vip'] else '{}'::text[] end
                     || case when g % 3 = 0 then array['newsletter'] else '{}'::text[] end
                     || case when g % 50 = 0 then array['churned'] else '{}'::text[] end,
                   jsonb_build_object(
                     'plan', (array['free', 'pro', 'team', 'enterprise'])[1 + g % 4],
                     'seats', g % 500,
                     'country', (array['US', 'DE', 'FR', 'GB', 'JP', 'BR', 'IN', 'CA'])[1 + g % 8])
                     || case when g % 7 = 0 then '{"beta": true}'::jsonb else '{}'::jsonb end,
                   case when g % 4 = 0 then null
                        else now() - (g % 60) * interval '1 day' end,
                   now(), now()
              from generate_series(1, ?) g
            """)
        .params(organizationId, CONTACTS)
        .update();
  }
}
