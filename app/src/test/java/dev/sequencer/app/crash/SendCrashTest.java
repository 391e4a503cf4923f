package dev.sequencer.app.crash;

import static dev.sequencer.app.SmsHours.zoneWithinSmsHours;
import static dev.sequencer.app.crash.CrashHarness.STEPS;
import static dev.sequencer.app.crash.CrashHarness.closeAll;
import static dev.sequencer.app.crash.CrashHarness.emailStep;
import static dev.sequencer.app.crash.CrashHarness.finishedLeads;
import static dev.sequencer.app.crash.CrashHarness.leadStatuses;
import static dev.sequencer.app.crash.CrashHarness.runDirectory;
import static dev.sequencer.app.crash.CrashHarness.sending;
import static dev.sequencer.app.crash.CrashHarness.smsStep;
import static dev.sequencer.app.crash.SplitDeployment.ACCOUNT_SID;
import static dev.sequencer.app.crash.SplitDeployment.AUTH_TOKEN;

import dev.sequencer.app.crash.CountingSmtpServer.Delivery;
import dev.sequencer.app.crash.TwilioStandIn.Accepted;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The send path under real process crashes. The worker runs in a JVM of its own against a
 * time-skipping Temporal test server in another, PostgreSQL, an SMTP relay that counts what it
 * accepts and a stand-in for Twilio's Messages API; the api runs in this JVM. An email campaign of
 * {@value #DEFAULT_EMAIL_LEADS} leads and an SMS campaign of {@value #DEFAULT_SMS_LEADS} leads run
 * their three steps (hook day 0, proof day 3, FOMO day 7; the timers pass by time skipping) while
 * the worker is killed with SIGKILL at random moments of sending — spread over the three steps — at
 * least {@value #DEFAULT_KILLS} times, and restarted each time; then it runs to the end. Both
 * campaigns run at once, so every kill may land in an email or an SMS hand-over.
 *
 * <p>Counted at the relay and at the stand-in: every lead has each step exactly once — by distinct
 * Message-ID for email, by accepted message for SMS — none missing. A raw email delivery beyond the
 * first of its Message-ID is allowed only when a kill came between the two deliveries and within
 * {@value #HANDOVER_WINDOW_MS} ms of the first (the kill landed inside that hand-over); the test
 * prints how many there were. PostgreSQL agrees: every lead completed, every step sent, no message
 * left SENDING. And every message sent had its {@code message.sent} webhook delivered to a receiver
 * in this JVM, validly signed, kills or not: the events are committed with their sends, and the
 * endpoint's workflow delivers what a killed worker left.
 *
 * <p>Each life of the worker needs 6–10 s to start on two cores, and each step with kills waits
 * once for the killed attempts' start-to-close timeout, during which the time-skipping server
 * cannot skip; the worker enrols its leads with a send timeout of {@value #SEND_TIMEOUT} ({@code
 * sequencer.send.timeout}, two minutes by default), which is what makes the test short enough for
 * every {@code mvn verify}. Lead counts, kills, the steps the kills are spread over, the kill
 * delays, the seed, the time limit and stickiness are system properties ({@code crash.email.leads},
 * {@code crash.sms.leads}, {@code crash.kills}, {@code crash.kill.steps}, {@code
 * crash.kill.min.ms}, {@code crash.kill.max.ms}, {@code crash.seed}, {@code
 * crash.run.limit.minutes}, {@code crash.sticky}). The logs of the worker's lives and of the
 * Temporal server and the summary are in {@code target/crash-test/run-<time>-<pid>/}. Run it alone
 * with {@code mvn -B -pl app -am verify -Dtest=SendCrashTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Execution(ExecutionMode.CONCURRENT)
class SendCrashTest {

  static final int DEFAULT_EMAIL_LEADS = 1000;
  static final int DEFAULT_SMS_LEADS = 300;
  static final int DEFAULT_KILLS = 20;
  static final long HANDOVER_WINDOW_MS = 15_000;

  /** The send attempts' start-to-close timeout the worker gives its leads. */
  static final String SEND_TIMEOUT = "20s";

  private static final int EMAIL_LEADS =
      Integer.getInteger("crash.email.leads", DEFAULT_EMAIL_LEADS);
  private static final int SMS_LEADS = Integer.getInteger("crash.sms.leads", DEFAULT_SMS_LEADS);
  private static final int KILLS = Integer.getInteger("crash.kills", DEFAULT_KILLS);
  private static final long SEED = Long.getLong("crash.seed", 20_270_210L);

  /** A kill comes this long after the worker's first send in its life, drawn uniformly. */
  private static final long KILL_DELAY_MIN_MS = Long.getLong("crash.kill.min.ms", 1_000);

  private static final long KILL_DELAY_MAX_MS = Long.getLong("crash.kill.max.ms", 6_000);

  /**
   * The kills are spread over the first this many steps: each step (hook, proof, FOMO) that the
   * campaigns reach allows a third more of them. Every step with kills costs the sends'
   * start-to-close timeout once more: a killed attempt holds the time-skipping server's clock until
   * it times out.
   */
  private static final int KILL_STEPS = Integer.getInteger("crash.kill.steps", 3);

  /** Until every lead has finished, kills included. */
  private static final Duration RUN_LIMIT =
      Duration.ofMinutes(Integer.getInteger("crash.run.limit.minutes", 20));

  /**
   * Whether the worker keeps sticky execution on ({@code -Dcrash.sticky=true}); off by default,
   * because the Java test server never moves a dead worker's sticky task back to the shared queue
   * (see {@link CrashWorkerMain}).
   */
  private static final boolean STICKY_EXECUTION = Boolean.getBoolean("crash.sticky");

  private static final String API_KEY = "crash-test-api-key";
  private static final String TOKEN_SECRET = "crash-test-token-secret-shared-by-api-and-worker";

  private static final Path OUT = runDirectory("crash-test");

  /** The worker's loaded classes, shared by its lives ({@link Run#archiveClasses()}). */
  private static final Path CLASS_ARCHIVE = OUT.resolve("worker.jsa");

  private static EmbeddedPostgres postgres;
  private static JdbcClient jdbc;
  private static SplitDeployment deployment;
  private static CountingSmtpServer smtp;
  private static TwilioStandIn twilio;
  private static CrashHarness.Api client;
  private static dev.sequencer.store.testing.WebhookReceiver hooks;

  @BeforeAll
  static void start() throws Exception {
    // This JVM loads a class when it is first used, from target/test-classes, which another build
    // of the project may be rewriting by then: load every class of the harness now.
    preload(
        SendCrashTest.class,
        CountingSmtpServer.class,
        TwilioStandIn.class,
        ChildJvm.class,
        SplitDeployment.class,
        CrashWorkerMain.class,
        TemporalTestServerMain.class,
        dev.sequencer.store.testing.WebhookReceiver.class,
        com.standardwebhooks.Webhook.class);
    Files.createDirectories(OUT);
    hooks = new dev.sequencer.store.testing.WebhookReceiver();
    postgres = EmbeddedPostgres.builder().start();
    jdbc = JdbcClient.create(postgres.getPostgresDatabase());
    deployment =
        new SplitDeployment(
            OUT, postgres.getJdbcUrl("postgres", "postgres"), API_KEY, TOKEN_SECRET);
    deployment.startTemporal("768m");
    smtp = new CountingSmtpServer();
    twilio = new TwilioStandIn(ACCOUNT_SID, AUTH_TOKEN, deployment::temporalTime);
    client = deployment.startApi();
  }

  @AfterAll
  static void stop() throws Exception {
    closeAll(deployment, twilio, smtp, hooks, postgres);
    Files.deleteIfExists(CLASS_ARCHIVE);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  void everyStepGoesOutExactlyOnceWhileTheWorkerIsKilled() throws Exception {
    long began = System.currentTimeMillis();
    Run run = new Run(new Random(SEED));
    run.archiveClasses();
    // Every send's message.sent webhook must reach this receiver, kills or not.
    CrashHarness.Response webhook =
        client.post(
            "/api/v1/webhooks",
            "{\"url\": \"" + hooks.url("/sent") + "\", \"events\": [\"message.sent\"]}",
            "application/json");
    org.assertj.core.api.Assertions.assertThat(webhook.status()).as(webhook.body()).isEqualTo(201);
    String webhookSecret = webhook.json().get("secret").asString();
    String emailCampaign = EMAIL_LEADS > 0 ? emailCampaign() : null;
    String smsCampaign = SMS_LEADS > 0 ? smsCampaign() : null;
    List<String> campaigns = Stream.of(emailCampaign, smsCampaign).filter(c -> c != null).toList();

    for (String campaign : campaigns) {
      client.startCampaign(campaign);
    }
    run.startWorker();
    run.awaitReady(Duration.ofSeconds(120));
    AssertionError unfinished = null;
    try {
      run.killWhileSending(campaigns, EMAIL_LEADS + SMS_LEADS);
    } catch (AssertionError e) {
      // Count what did go out all the same: the summary says more than the timeout.
      unfinished = e;
    }
    List<String> webhookSummary = awaitWebhooks(campaigns, webhookSecret);
    // Read before the worker stops: without a worker, nothing holds the test server's clock.
    Instant temporalAtEnd = deployment.temporalTime();
    run.worker.stop(30);
    long took = System.currentTimeMillis() - began;

    SoftAssertions softly = new SoftAssertions();
    List<String> summary = new ArrayList<>();
    int leads = EMAIL_LEADS + SMS_LEADS;
    summary.add(
        String.format(
            "CRASH-TEST run: seed=%d sticky_execution=%s kills=%d kills_per_step=%s"
                + " worker_lives=%d mean_start_to_ready_ms=%d took_s=%d temporal_time=%s logs=%s",
            SEED,
            STICKY_EXECUTION,
            run.kills.size(),
            run.kills.stream()
                .collect(
                    Collectors.groupingBy(
                        k -> STEPS.get((int) Math.min(2, k.distinctBefore() / Math.max(1, leads))),
                        TreeMap::new,
                        Collectors.counting())),
            run.lives.size(),
            run.meanStartToReadyMillis(),
            took / 1000,
            temporalAtEnd,
            OUT.toAbsolutePath()));
    if (unfinished != null) {
      summary.add("CRASH-TEST unfinished: " + unfinished.getMessage());
      softly.fail(unfinished.getMessage());
    }
    if (emailCampaign != null) {
      summary.addAll(checkEmail(emailCampaign, run.kills, softly));
      summary.addAll(checkStore("email", emailCampaign, EMAIL_LEADS, softly));
    }
    if (smsCampaign != null) {
      summary.addAll(checkSms(smsCampaign, run.kills, softly));
      summary.addAll(checkStore("sms", smsCampaign, SMS_LEADS, softly));
    }
    summary.addAll(webhookSummary);
    if (webhookSummary.stream().anyMatch(line -> line.contains("MISSING"))) {
      softly.fail("message.sent webhooks missing: " + webhookSummary);
    }
    summary.forEach(System.out::println);
    Files.write(OUT.resolve("summary.txt"), summary);
    softly
        .assertThat(run.kills.size())
        .as("kills that landed while the worker was sending")
        .isGreaterThanOrEqualTo(KILLS);
    softly.assertAll();
  }

  // ---------------------------------------------------------------------------------------------
  // The worker's lives and deaths

  /** One life of the worker process. */
  record Life(int number, long startedAt, long readyAt, long killedAt) {}

  /** A SIGKILL, and the life it ended. */
  record Kill(
      int number, long atMillis, long lifeStartedAt, long sendsBefore, long distinctBefore) {}

  private static final class Run {
    private final Random random;
    final List<Kill> kills = new ArrayList<>();
    final List<Life> lives = new ArrayList<>();
    ChildJvm worker;
    private long readyAt;
    private long lastProgress;

    Run(Random random) {
      this.random = random;
    }

    /**
     * Twenty-one lives of the worker spend minutes starting on two cores. One life before the
     * campaigns exist, stopped gracefully once ready, writes the classes it loaded into a dynamic
     * class-data-sharing archive that every later life maps instead of loading them again.
     */
    void archiveClasses() throws Exception {
      long began = System.currentTimeMillis();
      startWorker("worker-archive", "-XX:ArchiveClassesAtExit=" + CLASS_ARCHIVE.toAbsolutePath());
      awaitReady(Duration.ofSeconds(120));
      worker.stop(60);
      System.out.printf(
          "CRASH-TEST class archive: %s in %d ms%n",
          Files.exists(CLASS_ARCHIVE) ? Files.size(CLASS_ARCHIVE) + " bytes" : "not written",
          System.currentTimeMillis() - began);
    }

    void startWorker() throws IOException {
      startWorker(
          "worker-" + kills.size(),
          Files.exists(CLASS_ARCHIVE)
              ? "-XX:SharedArchiveFile=" + CLASS_ARCHIVE.toAbsolutePath()
              : "-Xshare:auto");
    }

    private void startWorker(String name, String classSharing) throws IOException {
      worker =
          deployment.startWorker(
              name,
              smtp.port(),
              twilio.baseUrl(),
              List.of(classSharing),
              List.of(
                  "--sequencer.send.timeout=" + SEND_TIMEOUT,
                  "--server.port=0",
                  "--crash.worker.sticky-execution=" + STICKY_EXECUTION));
      readyAt = 0;
    }

    void awaitReady(Duration limit) throws Exception {
      long deadline = System.currentTimeMillis() + limit.toMillis();
      while (!ready()) {
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError("the worker was not ready within " + limit + ": " + worker.log);
        }
        Thread.sleep(100);
      }
    }

    private boolean ready() throws IOException {
      if (readyAt == 0 && worker.printed(CrashWorkerMain.READY)) {
        readyAt = System.currentTimeMillis();
      }
      if (!worker.isAlive()) {
        throw new AssertionError(
            "the worker exited on its own (code "
                + worker.process.exitValue()
                + "), see "
                + worker.log);
      }
      return readyAt != 0;
    }

    /**
     * Kills the worker at random moments while it sends — a uniformly drawn delay after the first
     * message each life hands over — and restarts it at once, {@link #KILLS} times, spread over the
     * first {@link #KILL_STEPS} steps (by the count of sends: the kills allowed so far grow with
     * each step the campaigns reach); then lets it run until every lead has reached a final status.
     */
    void killWhileSending(List<String> campaigns, int leads) throws Exception {
      long deadline = System.currentTimeMillis() + RUN_LIMIT.toMillis();
      long lifeStarted = worker.startedAtMillis;
      long sendsAtLifeStart = sends();
      long killAt = 0;
      long nextCheck = 0;
      while (true) {
        long now = System.currentTimeMillis();
        if (now >= nextCheck) {
          nextCheck = now + 250;
          boolean finished;
          try {
            finished = finished(campaigns, leads, deadline);
          } catch (AssertionError e) {
            lives.add(new Life(lives.size(), lifeStarted, readyAt, 0));
            throw e;
          }
          if (finished) {
            lives.add(new Life(lives.size(), lifeStarted, readyAt, 0));
            return;
          }
        }
        if (killAt == 0) {
          // The step the campaigns are at: by distinct messages, as re-deliveries would run ahead.
          int step = (int) Math.min(KILL_STEPS - 1, distinctSends() / Math.max(1, leads));
          long allowed = Math.min(KILLS, (KILLS * (step + 1L) + KILL_STEPS - 1) / KILL_STEPS);
          if (kills.size() < allowed && sends() > sendsAtLifeStart) {
            // This life is sending: it dies a random moment from now.
            killAt =
                now
                    + KILL_DELAY_MIN_MS
                    + (long) (random.nextDouble() * (KILL_DELAY_MAX_MS - KILL_DELAY_MIN_MS));
          }
        } else if (now >= killAt) {
          long sendsBefore = sends();
          long distinctBefore = distinctSends();
          long at = System.currentTimeMillis();
          worker.kill();
          kills.add(new Kill(kills.size() + 1, at, lifeStarted, sendsBefore, distinctBefore));
          lives.add(new Life(lives.size(), lifeStarted, readyAt, at));
          System.out.printf(
              "CRASH-TEST kill %d at +%d ms of life %d (ready after %d ms), %d sends so far%n",
              kills.size(),
              at - lifeStarted,
              lives.size() - 1,
              readyAt == 0 ? -1 : readyAt - lifeStarted,
              sendsBefore);
          // What the dead worker had written completely is counted by now; only a new life's
          // sends count from here.
          Thread.sleep(100);
          sendsAtLifeStart = sends();
          startWorker();
          lifeStarted = worker.startedAtMillis;
          killAt = 0;
        }
        ready();
        Thread.sleep(killAt == 0 ? 20 : Math.max(1, Math.min(20, killAt - now)));
      }
    }

    private boolean finished(List<String> campaigns, int leads, long deadline) throws Exception {
      ready();
      for (Throwable failure : new Throwable[] {smtp.failure(), twilio.failure()}) {
        if (failure != null) {
          throw new AssertionError("the test's own relay or stand-in failed", failure);
        }
      }
      long now = System.currentTimeMillis();
      Map<String, Long> statuses = leadStatuses(jdbc, campaigns);
      long done = finishedLeads(statuses);
      if (now - lastProgress > 10_000) {
        lastProgress = now;
        System.out.printf(
            "CRASH-TEST progress: kills=%d smtp_deliveries=%d twilio_accepted=%d leads=%s"
                + " temporal_time=%s%n",
            kills.size(),
            smtp.deliveredCount(),
            twilio.acceptedCount(),
            statuses,
            deployment.temporalTime());
      }
      if (done >= leads) {
        return true;
      }
      if (now > deadline) {
        throw new AssertionError(
            "not every lead finished within "
                + RUN_LIMIT
                + " (kills "
                + kills.size()
                + "): "
                + statuses
                + ", messages SENDING: "
                + sending(jdbc, campaigns));
      }
      return false;
    }

    long meanStartToReadyMillis() {
      return (long)
          lives.stream()
              .filter(l -> l.readyAt() > 0)
              .mapToLong(l -> l.readyAt() - l.startedAt())
              .average()
              .orElse(-1);
    }
  }

  private static long sends() {
    return smtp.deliveredCount() + twilio.acceptedCount();
  }

  private static long distinctSends() {
    return smtp.distinctCount() + twilio.distinctCount();
  }

  // ---------------------------------------------------------------------------------------------
  // What the relay, the stand-in and the store saw

  private static List<String> checkEmail(String campaign, List<Kill> kills, SoftAssertions softly) {
    Map<String, Map<String, List<Delivery>>> byLead = new LinkedHashMap<>();
    for (int i = 0; i < EMAIL_LEADS; i++) {
      byLead.put(email(i), new HashMap<>());
    }
    List<String> problems = new ArrayList<>();
    long raw = 0;
    for (Delivery delivery : smtp.deliveries()) {
      Map<String, List<Delivery>> steps = byLead.get(delivery.recipient());
      if (steps == null) {
        problems.add("a delivery to an address of no lead: " + delivery);
        continue;
      }
      raw++;
      String step = emailStep(delivery.subject());
      if (step == null || delivery.messageId() == null) {
        problems.add("a delivery of no step or without Message-ID: " + delivery);
        continue;
      }
      steps.computeIfAbsent(step, s -> new ArrayList<>()).add(delivery);
    }
    long distinct = 0;
    long missing = 0;
    long twoMessageIds = 0;
    long redeliveries = 0;
    Set<Integer> handoverKills = new LinkedHashSet<>();
    long maxGap = 0;
    for (Map.Entry<String, Map<String, List<Delivery>>> lead : byLead.entrySet()) {
      for (String step : STEPS) {
        List<Delivery> deliveries = lead.getValue().getOrDefault(step, List.of());
        Map<String, List<Delivery>> byId =
            deliveries.stream()
                .collect(
                    Collectors.groupingBy(
                        Delivery::messageId, LinkedHashMap::new, Collectors.toList()));
        distinct += byId.size();
        if (byId.isEmpty()) {
          missing++;
          problems.add(lead.getKey() + " " + step + ": never delivered");
        } else if (byId.size() > 1) {
          twoMessageIds++;
          problems.add(
              lead.getKey() + " " + step + ": " + byId.size() + " Message-IDs " + byId.keySet());
        }
        for (List<Delivery> same : byId.values()) {
          same.sort(Comparator.comparingLong(Delivery::acceptedAtMillis));
          for (int i = 1; i < same.size(); i++) {
            redeliveries++;
            Delivery first = same.get(i - 1);
            Delivery again = same.get(i);
            Kill kill = killAfter(kills, first.acceptedAtMillis());
            if (kill == null || kill.atMillis() >= again.acceptedAtMillis()) {
              problems.add(
                  lead.getKey()
                      + " "
                      + step
                      + ": "
                      + first.messageId()
                      + " delivered again without a kill in between ("
                      + first.acceptedAtMillis()
                      + ", "
                      + again.acceptedAtMillis()
                      + ")");
              continue;
            }
            long gap = kill.atMillis() - first.acceptedAtMillis();
            maxGap = Math.max(maxGap, gap);
            if (gap > HANDOVER_WINDOW_MS) {
              problems.add(
                  lead.getKey()
                      + " "
                      + step
                      + ": "
                      + first.messageId()
                      + " delivered again after kill "
                      + kill.number()
                      + ", which came "
                      + gap
                      + " ms after its first delivery: not inside that hand-over");
            } else {
              handoverKills.add(kill.number());
            }
          }
        }
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "CRASH-TEST email: leads=%d kills=%d raw_deliveries=%d distinct=%d"
                + " duplicates_same_message_id=%d kills_inside_handover=%d"
                + " max_delivery_to_kill_ms=%d missing=%d steps_with_several_message_ids=%d"
                + " broken_transfers=%d",
            EMAIL_LEADS,
            kills.size(),
            raw,
            distinct,
            raw - distinct,
            handoverKills.size(),
            maxGap,
            missing,
            twoMessageIds,
            smtp.brokenTransfers()));
    problems.stream().limit(30).map(p -> "CRASH-TEST email problem: " + p).forEach(lines::add);
    softly
        .assertThat(problems)
        .as(
            "email: each step of every lead once by Message-ID; same-ID re-deliveries only for"
                + " kills inside a hand-over")
        .isEmpty();
    softly.assertThat(distinct).as("email: distinct Message-IDs").isEqualTo(3L * EMAIL_LEADS);
    return lines;
  }

  /** The first kill at or after {@code atMillis}, allowing for a delivery seen just after it. */
  private static Kill killAfter(List<Kill> kills, long atMillis) {
    // The relay may read the final dot a moment after the kill was issued; a restarted worker
    // takes seconds before it can send, so a second is a safe allowance.
    return kills.stream().filter(k -> k.atMillis() + 1_000 >= atMillis).findFirst().orElse(null);
  }

  private static List<String> checkSms(String campaign, List<Kill> kills, SoftAssertions softly) {
    Map<String, Map<String, List<Accepted>>> byLead = new LinkedHashMap<>();
    for (int i = 0; i < SMS_LEADS; i++) {
      byLead.put(phone(i), new HashMap<>());
    }
    List<String> problems = new ArrayList<>();
    long raw = 0;
    for (Accepted message : twilio.accepted()) {
      Map<String, List<Accepted>> steps = byLead.get(message.to());
      if (steps == null) {
        problems.add("a message to a number of no lead: " + message);
        continue;
      }
      raw++;
      String step = smsStep(message.body());
      if (step == null) {
        problems.add("a message of no step: " + message);
        continue;
      }
      steps.computeIfAbsent(step, s -> new ArrayList<>()).add(message);
    }
    long distinct = 0;
    long missing = 0;
    long duplicated = 0;
    for (Map.Entry<String, Map<String, List<Accepted>>> lead : byLead.entrySet()) {
      for (String step : STEPS) {
        List<Accepted> messages = lead.getValue().getOrDefault(step, List.of());
        distinct += messages.stream().map(Accepted::body).distinct().count();
        if (messages.isEmpty()) {
          missing++;
          problems.add(lead.getKey() + " " + step + ": never accepted");
        } else if (messages.size() > 1) {
          duplicated++;
          problems.add(
              lead.getKey()
                  + " "
                  + step
                  + ": accepted "
                  + messages.size()
                  + " times "
                  + messages.stream()
                      .map(m -> m.sid() + "@" + m.acceptedAtMillis())
                      .collect(Collectors.joining(", "))
                  + nearestKills(kills, messages));
        }
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "CRASH-TEST sms: leads=%d kills=%d accepted=%d distinct=%d duplicates=%d missing=%d"
                + " steps_accepted_twice_or_more=%d lookups=%d refused_requests=%d",
            SMS_LEADS,
            kills.size(),
            raw,
            distinct,
            raw - distinct,
            missing,
            duplicated,
            twilio.lookups(),
            twilio.refused()));
    problems.stream().limit(30).map(p -> "CRASH-TEST sms problem: " + p).forEach(lines::add);
    softly
        .assertThat(problems)
        .as("sms: each step of every lead accepted exactly once by Twilio")
        .isEmpty();
    softly.assertThat(raw).as("sms: accepted messages").isEqualTo(3L * SMS_LEADS);
    return lines;
  }

  private static String nearestKills(List<Kill> kills, List<Accepted> messages) {
    Kill kill = killAfter(kills, messages.get(0).acceptedAtMillis());
    return kill == null
        ? " (no kill after the first)"
        : " (kill "
            + kill.number()
            + " came "
            + (kill.atMillis() - messages.get(0).acceptedAtMillis())
            + " ms after the first)";
  }

  /**
   * Waits (up to three minutes, the worker alive) until every message sent has had its {@code
   * message.sent} webhook delivered: at least once, validly signed; repeats (a kill between a
   * delivery and its record) are counted.
   */
  private static List<String> awaitWebhooks(List<String> campaigns, String secret) {
    java.util.Set<String> sent =
        new java.util.HashSet<>(
            jdbc.sql("select id from messages where campaign_id = any(?) and sent_at is not null")
                .param(campaigns.toArray(String[]::new))
                .query(String.class)
                .list());
    long deadline = System.currentTimeMillis() + Duration.ofMinutes(3).toMillis();
    java.util.Set<String> delivered = new java.util.HashSet<>();
    while (System.currentTimeMillis() < deadline) {
      delivered.clear();
      hooks.calls().forEach(call -> delivered.add(call.data().get("message_id").asString()));
      if (delivered.containsAll(sent)) {
        break;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    // The worker's clock follows the time-skipping server's, days ahead of this one: the library's
    // freshness check would refuse every later step, so its signature is compared instead.
    com.standardwebhooks.Webhook signer = new com.standardwebhooks.Webhook(secret);
    long badSignatures = 0;
    for (var call : hooks.calls()) {
      try {
        String expected =
            signer.sign(call.id(), Long.parseLong(call.header("webhook-timestamp")), call.body());
        if (!expected.equals(call.header("webhook-signature"))) {
          badSignatures++;
        }
      } catch (Exception e) {
        badSignatures++;
      }
    }
    java.util.Set<String> missing = new java.util.TreeSet<>(sent);
    missing.removeAll(delivered);
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "CRASH-TEST webhooks: messages_sent=%d delivered=%d calls=%d repeats=%d"
                + " bad_signatures=%d%s",
            sent.size(),
            delivered.size(),
            hooks.calls().size(),
            hooks.calls().size() - delivered.size(),
            badSignatures,
            missing.isEmpty() ? "" : " MISSING=" + missing.stream().limit(10).toList()));
    if (badSignatures > 0) {
      lines.add("CRASH-TEST webhooks: MISSING valid signatures on " + badSignatures + " calls");
    }
    return lines;
  }

  private static List<String> checkStore(
      String channel, String campaign, int leads, SoftAssertions softly) {
    Map<String, Long> statuses = leadStatuses(jdbc, List.of(campaign));
    long sending = sending(jdbc, List.of(campaign));
    Map<String, Long> messageStatuses = new TreeMap<>();
    jdbc.sql("select status, count(*) from messages where campaign_id = ? group by status")
        .param(campaign)
        .query((rs, i) -> Map.entry(rs.getString(1), rs.getLong(2)))
        .list()
        .forEach(e -> messageStatuses.put(e.getKey(), e.getValue()));
    Map<String, Long> stepStatuses = new TreeMap<>();
    jdbc.sql(
            "select s.status, count(*) from lead_steps s join leads l on l.id = s.lead_pk"
                + " where l.campaign_id = ? group by s.status")
        .param(campaign)
        .query((rs, i) -> Map.entry(rs.getString(1), rs.getLong(2)))
        .list()
        .forEach(e -> stepStatuses.put(e.getKey(), e.getValue()));
    softly
        .assertThat(statuses)
        .as(channel + ": leads by status")
        .isEqualTo(Map.of("COMPLETED", (long) leads));
    softly.assertThat(sending).as(channel + ": messages left SENDING").isZero();
    softly
        .assertThat(stepStatuses)
        .as(channel + ": lead steps by status")
        .isEqualTo(Map.of("sent", 3L * leads));
    return List.of(
        String.format(
            "CRASH-TEST %s store: leads=%s messages=%s lead_steps=%s",
            channel, statuses, messageStatuses, stepStatuses));
  }

  // ---------------------------------------------------------------------------------------------
  // Campaigns

  private static String email(int i) {
    return String.format("crash.lead%04d@example.com", i);
  }

  private static String phone(int i) {
    return String.format("+1415%07d", 2_000_000 + i);
  }

  private static String emailCampaign() {
    String campaign =
        client.createCampaign(CrashHarness.emailCampaignJson("Crash test email", 3, 7));
    StringBuilder csv = new StringBuilder("lead_id,email,first_name,company\n");
    for (int i = 0; i < EMAIL_LEADS; i++) {
      csv.append(String.format("email-%04d,%s,Lead%d,Company %d%n", i, email(i), i, i));
    }
    client.importLeads(campaign, csv.toString(), EMAIL_LEADS);
    return campaign;
  }

  private static String smsCampaign() {
    ZoneId zone = zoneWithinSmsHours(Instant.now());
    String campaign =
        client.createCampaign(CrashHarness.smsCampaignJson("Crash test sms", zone, 3, 7));
    StringBuilder csv = new StringBuilder("lead_id,phone,first_name,company,timezone\n");
    for (int i = 0; i < SMS_LEADS; i++) {
      csv.append(
          String.format("sms-%04d,%s,Lead%d,Company %d,%s%n", i, phone(i), i, i, zone.getId()));
    }
    client.importLeads(campaign, csv.toString(), SMS_LEADS);
    return campaign;
  }

  // ---------------------------------------------------------------------------------------------
  // Plumbing

  private static void preload(Class<?>... classes) {
    for (Class<?> type : classes) {
      preload(type.getDeclaredClasses());
    }
  }
}
