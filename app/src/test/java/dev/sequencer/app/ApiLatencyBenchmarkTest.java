package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.storetest.bench.Figure;
import dev.sequencer.storetest.bench.Figures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The API under support's daily load: lead pauses, resumes and replies at {@value #RATE} requests/s
 * for {@value #SECONDS} s (after {@value #WARM_UP_SECONDS} s of the same load, not measured)
 * against the embedded default, on a running campaign whose hooks went out. Open loop: each request
 * is sent at its planned instant whatever the answers before it did, and its latency counts from
 * that instant, so a stall shows in the tail rather than slowing the load down.
 */
class ApiLatencyBenchmarkTest {

  static final int RATE = Integer.getInteger("sequencer.benchmark.rate", 200);
  static final int SECONDS = Integer.getInteger("sequencer.benchmark.seconds", 60);

  /**
   * Seconds of the same load before the measured ones, not counted: a freshly started JVM compiles
   * the request path and the worker's code under that load first, as a long-running service has.
   */
  static final int WARM_UP_SECONDS = Integer.getInteger("sequencer.benchmark.warm-up", 20);

  static final int LEADS = 600;

  /** Leads 0–399 are paused and resumed in turn; leads 400–599 reply. */
  static final int CONTROLLED = 400;

  private final RunningService service = RunningService.get();

  /**
   * Support staff each have their own key, and each key its own rate limit (50 a second by
   * default): the calls go round these operator keys, 25 a second each.
   */
  private static final int KEYS = 8;

  private final List<String> keys = new ArrayList<>();

  @Test
  void pausesResumesAndRepliesAtTwoHundredASecond() throws Exception {
    for (int i = 0; i < KEYS; i++) {
      keys.add(service.newKey(RunningService.KEY, "operator"));
    }
    String campaign = service.createOpenEmailCampaign("API latency");
    service.importLeads(campaign, "lat", "latency.test", LEADS);
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    // The hooks go out first (at the embedded default's pace), so the replies find their leads.
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (service.sentMessages(campaign) < LEADS) {
      assertThat(System.nanoTime()).as("all hooks sent within 5 minutes").isLessThan(deadline);
      Thread.sleep(500);
    }

    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .executor(java.util.concurrent.Executors.newFixedThreadPool(32))
            .build();
    List<Double> latencies = new CopyOnWriteArrayList<>();
    int warmUp = RATE * WARM_UP_SECONDS;
    double[] byCall = new double[RATE * SECONDS];
    Map<Integer, AtomicInteger> unexpected = new ConcurrentHashMap<>();
    List<CompletableFuture<?>> calls = new ArrayList<>();
    int total = warmUp + RATE * SECONDS;
    long began = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long planned = began + i * 1_000_000_000L / RATE;
      long wait = planned - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      HttpRequest request = request(campaign, i);
      int measured = i - warmUp;
      calls.add(
          http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
              .handle(
                  (response, failure) -> {
                    double ms = (System.nanoTime() - planned) / 1e6;
                    if (measured >= 0) {
                      latencies.add(ms);
                      byCall[measured] = ms;
                    }
                    int status = failure != null ? -1 : response.statusCode();
                    // Errors count in the warm-up as well.
                    if (status != 202 && status != 200) {
                      unexpected
                          .computeIfAbsent(status, s -> new AtomicInteger())
                          .incrementAndGet();
                    }
                    return null;
                  }));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    // The tail by 10-second window, to tell a warm-up or a periodic stall from steady queueing.
    StringBuilder windows = new StringBuilder();
    for (int w = 0; w < SECONDS / 10; w++) {
      List<Double> window = new ArrayList<>();
      for (int i = w * RATE * 10; i < (w + 1) * RATE * 10; i++) {
        window.add(byCall[i]);
      }
      windows.append(
          " %ds:p99=%.0f".formatted(w * 10, MetricsBenchmarkTest.percentile(window, 99)));
    }
    System.out.println("BENCHMARK api-latency windows" + windows);
    double p50 = MetricsBenchmarkTest.percentile(latencies, 50);
    double p99 = MetricsBenchmarkTest.percentile(latencies, 99);
    int errors = unexpected.values().stream().mapToInt(AtomicInteger::get).sum();
    System.out.printf(
        "BENCHMARK api-latency rate=%d seconds=%d calls=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f"
            + " unexpected=%s%n",
        RATE,
        SECONDS,
        latencies.size(),
        p50,
        p99,
        MetricsBenchmarkTest.percentile(latencies, 100),
        unexpected);
    Figures.record(Figure.of("api-pause-resume-reply-p50", p50, "ms", null));
    Figures.record(Figure.of("api-pause-resume-reply-p99", p99, "ms", "<= 50"));
    Figures.record(Figure.of("api-pause-resume-reply-errors", errors, "calls", "<= 0"));
    assertThat(latencies).hasSize(total - warmUp);
  }

  /**
   * Call {@code i}: every third a reply from one of the other leads; the rest pause the controlled
   * leads one after the other, then resume them in the same order, so each lead's calls are seconds
   * apart (two calls on one lead at once are refused with 409 by design).
   */
  private HttpRequest request(String campaign, int i) {
    if (i % 3 == 2) {
      int lead = CONTROLLED + (i / 3) % (LEADS - CONTROLLED);
      return post(
          i,
          "/api/v1/replies",
          "{\"channel\": \"email\", \"from\": \"lat"
              + lead
              + "@latency.test\", \"body\": \"Sounds interesting, tell me more.\"}");
    }
    int call = i - i / 3;
    int lead = Math.floorMod(call, CONTROLLED);
    String action = Math.floorDiv(call, CONTROLLED) % 2 == 0 ? "pause" : "resume";
    return post(i, "/api/v1/campaigns/" + campaign + "/leads/lat-" + lead + "/" + action, "{}");
  }

  private HttpRequest post(int i, String path, String body) {
    return HttpRequest.newBuilder(URI.create(service.baseUrl + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + keys.get(i % KEYS))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }
}
