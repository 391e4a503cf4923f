package dev.sequencer.app;

import static dev.sequencer.app.ControlApiTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Bursts of control calls on one campaign, all at once: each is answered promptly with 2xx or a 409
 * problem, never a 5xx, the connection pool is never emptied (health stays UP), and afterwards the
 * workflows follow the last call.
 */
class ConcurrentControlApiTest {

  /** Generous: a call that waited on another's lock or on the pool would take seconds. */
  private static final Duration BOUND = Duration.ofSeconds(5);

  private final RunningService service = RunningService.get();

  /** One call of a burst: what was asked and how it was answered. */
  record Outcome(String call, int status, String contentType, Duration took, String body) {}

  @Test
  void twentyParallelPausesAndResumesAreEachAnsweredAtOnceAndTheLastCallHolds() throws Exception {
    String campaign = startedWithLeads("Burst of pauses");
    String base = "/api/v1/campaigns/" + campaign;

    List<Outcome> outcomes =
        burst(
            20,
            i -> i % 2 == 0 ? call("pause", base + "/pause") : call("resume", base + "/resume"));

    assertOnlyAcceptedOrConflict(outcomes, 202);
    // Whatever order the burst took, the leads follow the call that came last.
    assertThat(service.post(base + "/resume", "{}").status()).isEqualTo(202);
    await(() -> leadStatus(campaign, "c-1"), "active"::equals);
    assertThat(service.post(base + "/pause", "{}").status()).isEqualTo(202);
    await(() -> leadStatus(campaign, "c-1"), "paused"::equals);
    assertThat(service.get(base).json().get("status").asString()).isEqualTo("paused");
  }

  @Test
  void twentyParallelPatchesAreEachAnsweredAtOnceAndEveryAcceptedOneIsARevision() throws Exception {
    String campaign = startedWithLeads("Burst of patches");
    String base = "/api/v1/campaigns/" + campaign;

    List<Outcome> outcomes =
        burst(
            20,
            i ->
                () -> {
                  Instant began = Instant.now();
                  var response = service.patch(base, "{\"name\": \"Burst of patches " + i + "\"}");
                  return outcome("patch", response, began);
                });

    assertOnlyAcceptedOrConflict(outcomes, 200);
    long accepted = outcomes.stream().filter(o -> o.status() == 200).count();
    assertThat(accepted).isPositive();
    assertThat(service.get(base).json().get("revision").asInt()).isEqualTo(1 + (int) accepted);
  }

  @Test
  void tenParallelStartsStartTheCampaignExactlyOnce() throws Exception {
    String campaign = service.createOpenEmailCampaign("Burst of starts");
    String base = "/api/v1/campaigns/" + campaign;
    service.post(base + "/leads", "[{\"lead_id\": \"s-1\", \"email\": \"s1@example.com\"}]");
    String startAt =
        Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();

    List<Outcome> outcomes =
        burst(
            10,
            i ->
                () -> {
                  Instant began = Instant.now();
                  var response =
                      service.post(base + "/start", "{\"start_at\": \"" + startAt + "\"}");
                  return outcome("start", response, began);
                });

    assertOnlyAcceptedOrConflict(outcomes, 202);
    // One start wins the draft; a start that comes after it has finished is the same request
    // repeated (same start_at) and is answered 202 again, changing nothing.
    assertThat(outcomes).filteredOn(o -> o.status() == 202).isNotEmpty();
    var started = service.get(base).json();
    assertThat(started.get("status").asString()).isEqualTo("scheduled");
    assertThat(started.get("workflow_id").asString()).isEqualTo("campaign-" + campaign);
    await(() -> leadStatus(campaign, "s-1"), "active"::equals);
    // The run was started once: the lead was enrolled once.
    var lead = service.get(base + "/leads/s-1").json();
    int enrolments = 0;
    for (var entry : lead.get("timeline")) {
      if ("enrolled".equals(entry.get("event").asString())) {
        enrolments++;
      }
    }
    assertThat(enrolments).isEqualTo(1);
  }

  @Test
  void twentyParallelMixedControlCallsOnOneCampaignAreEachAnsweredAtOnce() throws Exception {
    String campaign = startedWithLeads("Mixed burst");
    String base = "/api/v1/campaigns/" + campaign;

    List<Outcome> outcomes =
        burst(
            20,
            i ->
                switch (i % 4) {
                  case 0 -> call("pause", base + "/pause");
                  case 1 -> call("resume", base + "/resume");
                  case 2 -> call("start", base + "/start");
                  default ->
                      () -> {
                        Instant began = Instant.now();
                        var response =
                            service.patch(
                                base,
                                "{\"steps\": [{\"type\": \"hook\", \"day\": 0, \"subject\": \"v"
                                    + i
                                    + "\", \"body\": \"Hi\"}, {\"type\": \"proof\", \"day\": 3,"
                                    + " \"subject\": \"P\", \"body\": \"P\"}, {\"type\": \"fomo\","
                                    + " \"day\": 7, \"subject\": \"F\", \"body\": \"F\"}]}");
                        return outcome("patch", response, began);
                      };
                });

    assertOnlyAcceptedOrConflict(outcomes, 200, 202);
    // The campaign is started: a start is refused, whoever else won.
    assertThat(outcomes).filteredOn(o -> o.call().equals("start")).allMatch(o -> o.status() == 409);
  }

  /** A campaign starting tomorrow with two leads whose sequences wait for it. */
  private String startedWithLeads(String name) throws InterruptedException {
    String campaign = service.createOpenEmailCampaign(name);
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"c-1\", \"email\": \"c1@example.com\"},"
            + " {\"lead_id\": \"c-2\", \"email\": \"c2@example.com\"}]");
    Instant tomorrow = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    var started =
        service.post(
            "/api/v1/campaigns/" + campaign + "/start", "{\"start_at\": \"" + tomorrow + "\"}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    await(() -> leadStatus(campaign, "c-2"), "active"::equals);
    return campaign;
  }

  /** What the lead's workflow says its status is; null while it does not exist yet. */
  /** The lead's status in the store, which every send obeys. */
  private String leadStatus(String campaign, String leadId) {
    var lead = service.get("/api/v1/campaigns/" + campaign + "/leads/" + leadId);
    return lead.status() == 200 ? lead.json().get("status").asString() : null;
  }

  private java.util.concurrent.Callable<Outcome> call(String name, String path) {
    return () -> {
      Instant began = Instant.now();
      return outcome(name, service.post(path, "{}"), began);
    };
  }

  private static Outcome outcome(String call, RunningService.Response response, Instant began) {
    return new Outcome(
        call,
        response.status(),
        response.contentType(),
        Duration.between(began, Instant.now()),
        response.body());
  }

  /**
   * Runs {@code n} calls released at the same instant, while the health endpoint is read over and
   * over; asserts that it answered UP each time.
   */
  private List<Outcome> burst(int n, IntFunction<java.util.concurrent.Callable<Outcome>> calls)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n + 1);
    List<String> health = new CopyOnWriteArrayList<>();
    AtomicBoolean done = new AtomicBoolean();
    try {
      CountDownLatch ready = new CountDownLatch(n);
      CountDownLatch go = new CountDownLatch(1);
      Future<?> watcher =
          pool.submit(
              () -> {
                do {
                  var response = service.send(service.request("/actuator/health", null).GET());
                  health.add(response.status() + " " + response.body());
                  Thread.sleep(20);
                } while (!done.get());
                return null;
              });
      List<Future<Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        var call = calls.apply(i);
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return call.call();
                }));
      }
      ready.await(10, TimeUnit.SECONDS);
      go.countDown();
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> future : futures) {
        outcomes.add(future.get(60, TimeUnit.SECONDS));
      }
      done.set(true);
      watcher.get(30, TimeUnit.SECONDS);
      assertThat(health).isNotEmpty().allMatch(h -> h.startsWith("200 ") && h.contains("\"UP\""));
      return outcomes;
    } finally {
      done.set(true);
      pool.shutdownNow();
    }
  }

  private static void assertOnlyAcceptedOrConflict(List<Outcome> outcomes, Integer... accepted) {
    List<Integer> allowed = new ArrayList<>(List.of(accepted));
    allowed.add(409);
    for (Outcome outcome : outcomes) {
      assertThat(outcome.status()).as(outcome.toString()).isIn(allowed);
      assertThat(outcome.took()).as(outcome.toString()).isLessThan(BOUND);
      if (outcome.status() == 409) {
        assertThat(outcome.contentType())
            .as(outcome.toString())
            .startsWith("application/problem+json");
        assertThat(outcome.body()).as(outcome.toString()).contains("\"detail\"");
      }
    }
    assertThat(outcomes).anyMatch(o -> o.status() != 409);
    System.out.printf(
        "BURST %d calls: %s, slowest %d ms%n",
        outcomes.size(),
        outcomes.stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    o -> o.call() + " " + o.status(),
                    java.util.TreeMap::new,
                    java.util.stream.Collectors.counting())),
        outcomes.stream().mapToLong(o -> o.took().toMillis()).max().orElse(0));
  }
}
