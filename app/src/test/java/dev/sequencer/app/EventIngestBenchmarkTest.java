package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.storetest.bench.Figure;
import dev.sequencer.storetest.bench.Figures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Events at {@value #DEFAULT_RATE} a second for {@value #DEFAULT_SECONDS} s against the embedded
 * default, in real time, open loop (each event is posted at its planned instant whatever the
 * answers before it did): two thirds for new contacts, whom the one active triggered campaign
 * enrols, one third for contacts already in its sequence, on whose lead the event is recorded. Then
 * nothing may be lost: every accepted event is stored and every new contact enrolled, its sequence
 * started; and a sample of enrolments is read back over HTTP right after each 202.
 */
class EventIngestBenchmarkTest {

  static final int DEFAULT_RATE = 1_000;
  static final int DEFAULT_SECONDS = 30;
  static final int RATE = Integer.getInteger("sequencer.benchmark.rate", DEFAULT_RATE);
  static final int SECONDS = Integer.getInteger("sequencer.benchmark.seconds", DEFAULT_SECONDS);

  /**
   * Seconds of the same load before the measured ones: a service that has been up a while has its
   * code compiled, and the JIT compiling it would otherwise take most of a 2-core machine for the
   * first half minute.
   */
  static final int WARM_UP_SECONDS = Integer.getInteger("sequencer.benchmark.warm-up", 20);

  /** Every this many new-contact events, the enrolment is read back over HTTP after the 202. */
  static final int SAMPLE_EVERY = 20;

  /** Events posted at once at most, each on a connection of its own. */
  static final int SENDERS = 200;

  private static RunningService service;

  @BeforeAll
  static void start() {
    // One key posts every event: its rate limit is raised past the load, as a deployment
    // ingesting events would for its event source's key.
    service =
        RunningService.start(
            "--sequencer.access.rate-limit=100000", "--sequencer.access.rate-limit-burst=100000");
  }

  @AfterAll
  static void stop() {
    service.context.close();
  }

  @Test
  void eventsAtAThousandASecondAreAcceptedWithoutLoss() throws Exception {
    RunningService.Response created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "Bench trigger", "channel": "email", "sender": {"email": "ada@acme.test"},
             "schedule": {"timezone": "UTC", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
             "trigger": {"event": "signed_up", "delay_minutes": 1440,
                         "conditions": [{"field": "properties.plan", "op": "eq", "value": "pro"}]}}
            """);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String campaign = created.json().get("campaign_id").asString();
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/activate", "{}").status())
        .isEqualTo(202);

    // The loop only hands each event to a sender at its instant; the senders post on at most
    // SENDERS kept-alive connections. (Posting each event on a connection of its own made the
    // client, in this same JVM, take a core once answers slowed: its pool scans every connection.)
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(4))
            .build();
    Map<Integer, AtomicInteger> unexpected = new ConcurrentHashMap<>();
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger acceptedAll = new AtomicInteger();
    AtomicLong lastAccepted = new AtomicLong();
    AtomicLong firstAccepted = new AtomicLong(Long.MAX_VALUE);
    List<Double> latencies = new CopyOnWriteArrayList<>();
    List<Double> visible = new CopyOnWriteArrayList<>();
    AtomicInteger notVisible = new AtomicInteger();
    int warmUp = RATE * WARM_UP_SECONDS;
    int total = warmUp + RATE * SECONDS;
    int newContacts = 0;
    long began = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long planned = began + i * 1_000_000_000L / RATE;
      boolean measured = i >= warmUp;
      long wait = planned - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      // Events 3k and 3k+1 are for new contacts; 3k+2 for the contact of event 3k, enrolled a
      // moment before (recorded on its lead, not enrolled again).
      boolean isNew = i % 3 != 2;
      String contact = "bench-" + (isNew ? i : i - 2);
      if (isNew) {
        newContacts++;
      }
      boolean sampled = measured && isNew && i % SAMPLE_EVERY == 0;
      HttpRequest request =
          post(
              "/api/v1/events",
              "{\"event_id\": \"ev-%d\", \"contact_id\": \"%s\", \"email\": \"%s@bench.test\","
                      .formatted(i, contact, contact)
                  + " \"type\": \"signed_up\", \"properties\": {\"plan\": \"pro\"}}");
      senders.execute(
          () -> {
            try {
              HttpResponse<Void> response =
                  http.send(request, HttpResponse.BodyHandlers.discarding());
              long answered = System.nanoTime();
              // From the event's planned instant: time waiting for a free sender counts.
              if (measured) {
                latencies.add((answered - planned) / 1e6);
              }
              if (response.statusCode() != 202) {
                unexpected
                    .computeIfAbsent(response.statusCode(), s -> new AtomicInteger())
                    .incrementAndGet();
                return;
              }
              acceptedAll.incrementAndGet();
              if (measured) {
                accepted.incrementAndGet();
                lastAccepted.accumulateAndGet(answered, Math::max);
                firstAccepted.accumulateAndGet(answered, Math::min);
              }
              if (sampled) {
                HttpResponse<String> read =
                    http.send(
                        get("/api/v1/contacts/" + contact + "/enrolments"),
                        HttpResponse.BodyHandlers.ofString());
                if (read.statusCode() == 200 && read.body().contains(campaign)) {
                  visible.add((System.nanoTime() - answered) / 1e6);
                } else {
                  notVisible.incrementAndGet();
                }
              }
            } catch (Exception failure) {
              if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
              }
              unexpected.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
            }
          });
    }
    senders.shutdown();
    assertThat(senders.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    // From the first measured answer to the last: both carry an answer's latency, so a service
    // that keeps up with the load (its latency does not grow) measures the offered rate, and one
    // that falls behind measures less. (Counting from the first event's planned instant instead
    // charged the last answer's latency alone, so that even a service keeping up measured below
    // the rate it was offered.) Never more than the offered span: a backlog of the warm-up
    // clearing during the measured seconds must not count as a higher rate.
    double offeredSeconds = (RATE * SECONDS - 1) / (double) RATE;
    double seconds = Math.max((lastAccepted.get() - firstAccepted.get()) / 1e9, offeredSeconds);
    double perSecond = (accepted.get() - 1) / seconds;

    JdbcClient jdbc = service.bean(JdbcClient.class);
    long stored =
        jdbc.sql("select count(*) from contact_events where event_id like 'ev-%'")
            .query(Long.class)
            .single();
    long enrolled =
        jdbc.sql("select count(*) from trigger_enrolments where campaign_id = ?")
            .param(campaign)
            .query(Long.class)
            .single();
    // Every enrolled lead's sequence starts behind the events, at the start rate (300 a second by
    // default), or through the run if the start failed: wait up to five minutes for the last ones.
    long started = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
    while (System.nanoTime() < deadline) {
      started =
          jdbc.sql("select count(*) from leads where campaign_id = ? and status = 'ACTIVE'")
              .param(campaign)
              .query(Long.class)
              .single();
      if (started >= newContacts) {
        break;
      }
      Thread.sleep(500);
    }
    double allStartedAfter = (System.nanoTime() - began) / 1e9;
    int errors = unexpected.values().stream().mapToInt(AtomicInteger::get).sum();
    long lost =
        (acceptedAll.get() - stored)
            + (newContacts - enrolled)
            + (newContacts - started)
            + notVisible.get();
    double p99Visible = MetricsBenchmarkTest.percentile(visible, 99);
    System.out.printf(
        "BENCHMARK event-ingest rate=%d warm_up_s=%d seconds=%d sent=%d accepted=%d in %.1f s (%.0f/s)"
            + " p50_ms=%.1f p99_ms=%.1f max_ms=%.1f unexpected=%s stored=%d new_contacts=%d"
            + " enrolled=%d started=%d all_started_after_s=%.0f visible_samples=%d visible_p99_ms=%.1f not_visible=%d%n",
        RATE,
        WARM_UP_SECONDS,
        SECONDS,
        total - warmUp,
        accepted.get(),
        seconds,
        perSecond,
        MetricsBenchmarkTest.percentile(latencies, 50),
        MetricsBenchmarkTest.percentile(latencies, 99),
        MetricsBenchmarkTest.percentile(latencies, 100),
        unexpected,
        stored,
        newContacts,
        enrolled,
        started,
        allStartedAfter,
        visible.size(),
        p99Visible,
        notVisible.get());
    Figures.record(Figure.of("events-accepted-per-second", perSecond, "events/s", ">= 1000"));
    Figures.record(Figure.of("event-errors", errors, "events", "<= 0"));
    Figures.record(Figure.of("event-lost", lost, "events", "<= 0"));
    Figures.record(Figure.of("event-enrolment-visible-p99", p99Visible, "ms", "<= 1000"));
    Figures.record(
        Figure.of("event-latency-p99", MetricsBenchmarkTest.percentile(latencies, 99), "ms", null));
  }

  private static HttpRequest post(String path, String body) {
    return HttpRequest.newBuilder(URI.create(service.baseUrl + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + RunningService.KEY)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(service.baseUrl + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + RunningService.KEY)
        .GET()
        .build();
  }
}
