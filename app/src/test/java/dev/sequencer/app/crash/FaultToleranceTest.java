package dev.sequencer.app.crash;

import static dev.sequencer.app.SmsHours.zoneWithinSmsHours;
import static dev.sequencer.app.crash.CrashHarness.STEPS;
import static dev.sequencer.app.crash.CrashHarness.closeAll;
import static dev.sequencer.app.crash.CrashHarness.deleteTree;
import static dev.sequencer.app.crash.CrashHarness.emailStep;
import static dev.sequencer.app.crash.CrashHarness.finishedLeads;
import static dev.sequencer.app.crash.CrashHarness.freePort;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Outages of what the service depends on, while campaigns run: PostgreSQL stopped for {@value
 * #DEFAULT_PG_DOWN_SECONDS} s, the SMTP relay unreachable for {@value #DEFAULT_SMTP_DOWN_SECONDS}
 * s, Twilio answering 500 and then 429. Sequences wait and continue; counted at the relay and at
 * the Twilio stand-in, every lead gets each of its three steps exactly once, none missing;
 * PostgreSQL agrees (every lead completed, no message left SENDING); and the worker's {@code
 * /actuator/health} shows the outage — its {@code db} or {@code mail} component DOWN — while it
 * lasts, and UP again after.
 *
 * <p>The setup is the crash test's ({@link SendCrashTest}), a {@link SplitDeployment}: the worker
 * in a JVM of its own, so its health endpoint is reached over HTTP as a probe would; a
 * time-skipping Temporal test server in another; the api, PostgreSQL (zonky), the {@link
 * CountingSmtpServer} and the {@link TwilioStandIn} in this JVM. The relay is reached through a
 * {@link TcpGate}, which takes it off the network and puts it back on the same port; Twilio through
 * {@link TwilioFaults}. PostgreSQL is stopped for real and started again on the same port and data
 * directory.
 *
 * <p><b>Time.</b> Steps must be on strictly increasing days (hook day 0, proof day 1, FOMO day 2),
 * so the campaigns need time skipping to finish in minutes. But while a fault lasts, a
 * time-skipping server would skip the send activity's retry backoff (5 s doubling to 10 min, 12
 * attempts) whenever the worker is idle, and the retries would run out in seconds of wall time
 * against a two-minute outage, which no real deployment would see. So the test locks time skipping
 * ({@code LockTimeSkipping}) from the moment each fault begins until the dependency is back and the
 * worker's health is UP again: meanwhile timers and retry backoffs run on the wall clock, as in
 * production. Then it unlocks; the retry timers still pending fire at once, and the later steps'
 * day-long timers pass by skipping. ({@code -Dfault.lock.time=false} shows the difference: the
 * retries run out within the outages, and leads end {@code failed}.)
 *
 * <p>The worker's connection pool waits at most {@value #DEFAULT_WORKER_DB_CONNECTION_TIMEOUT_MS}
 * ms for a connection ({@code spring.datasource.hikari.connection-timeout}): with Hikari's default
 * of 30 s, every health check during a PostgreSQL outage blocks for 30 s before it answers DOWN, so
 * a 30-second outage would show only as it ends. The api keeps the default; its health is watched
 * too and reported for comparison.
 *
 * <p>Lead counts and outage lengths are system properties ({@code fault.email.leads}, {@code
 * fault.sms.leads}, {@code fault.pg.down.seconds}, {@code fault.smtp.down.seconds}, {@code
 * fault.twilio.500.seconds}, {@code fault.twilio.429.seconds}, {@code fault.lock.time}, {@code
 * fault.worker.db.connection.timeout.ms}). Logs and the summary are in {@code
 * target/fault-test/run-<time>-<pid>/}.
 */
@Execution(ExecutionMode.CONCURRENT)
class FaultToleranceTest {

  static final int DEFAULT_PG_DOWN_SECONDS = 30;
  static final int DEFAULT_SMTP_DOWN_SECONDS = 120;
  static final long DEFAULT_WORKER_DB_CONNECTION_TIMEOUT_MS = 5_000;

  private static final int EMAIL_LEADS = Integer.getInteger("fault.email.leads", 120);
  private static final int SMS_LEADS = Integer.getInteger("fault.sms.leads", 80);
  private static final Duration PG_DOWN =
      Duration.ofSeconds(Integer.getInteger("fault.pg.down.seconds", DEFAULT_PG_DOWN_SECONDS));
  private static final Duration SMTP_DOWN =
      Duration.ofSeconds(Integer.getInteger("fault.smtp.down.seconds", DEFAULT_SMTP_DOWN_SECONDS));
  private static final Duration TWILIO_500 =
      Duration.ofSeconds(Integer.getInteger("fault.twilio.500.seconds", 15));
  private static final Duration TWILIO_429 =
      Duration.ofSeconds(Integer.getInteger("fault.twilio.429.seconds", 15));
  private static final boolean LOCK_TIME =
      Boolean.parseBoolean(System.getProperty("fault.lock.time", "true"));
  private static final long WORKER_DB_CONNECTION_TIMEOUT_MS =
      Long.getLong(
          "fault.worker.db.connection.timeout.ms", DEFAULT_WORKER_DB_CONNECTION_TIMEOUT_MS);

  /** An email fault begins once this many of its campaign's messages are out: in the proof step. */
  private static final int MID_CAMPAIGN_EMAILS = EMAIL_LEADS + Math.max(1, EMAIL_LEADS / 10);

  /** While Twilio answers 500, every this many creates are accepted before the 500. */
  private static final int ACCEPT_EVERY = 3;

  /**
   * A re-delivery of one Message-ID is allowed only when its first delivery came this long before
   * an outage began, or during it: the outage interrupted that hand-over or its record.
   */
  private static final long HANDOVER_WINDOW_MS = 15_000;

  private static final String API_KEY = "fault-test-api-key";
  private static final String TOKEN_SECRET = "fault-test-token-secret-shared-by-api-and-worker";

  private static final Path OUT = runDirectory("fault-test");

  private static Path pgDirectory;
  private static int pgPort;
  private static volatile EmbeddedPostgres postgres;
  private static volatile JdbcClient jdbc;
  private static SplitDeployment deployment;
  private static CountingSmtpServer smtp;
  private static TcpGate smtpGate;
  private static TwilioStandIn twilio;
  private static TwilioFaults twilioFaults;
  private static CrashHarness.Api client;
  private static int workerPort;
  private static HealthWatch workerHealth;
  private static HealthWatch apiHealth;
  private static int timeLocks;

  private static final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final JsonMapper json = JsonMapper.builder().build();

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(OUT);
    pgDirectory = Files.createTempDirectory("fault-test-pg-");
    postgres = startPostgres(0);
    pgPort = postgres.getPort();
    jdbc = JdbcClient.create(postgres.getPostgresDatabase());
    // Restarted on the same port, PostgreSQL keeps this address.
    deployment =
        new SplitDeployment(
            OUT, postgres.getJdbcUrl("postgres", "postgres"), API_KEY, TOKEN_SECRET);
    deployment.startTemporal("512m");

    smtp = new CountingSmtpServer();
    smtpGate = new TcpGate(smtp.port());
    twilio = new TwilioStandIn(ACCOUNT_SID, AUTH_TOKEN, deployment::temporalTime);
    twilioFaults = new TwilioFaults(twilio.baseUrl(), ACCEPT_EVERY);

    // The worker starts while the api does: both migrate (Flyway takes a lock).
    workerPort = freePort();
    ChildJvm worker =
        deployment.startWorker(
            "worker",
            smtpGate.port(),
            twilioFaults.baseUrl(),
            List.of(),
            List.of(
                "--spring.datasource.hikari.connection-timeout=" + WORKER_DB_CONNECTION_TIMEOUT_MS,
                "--server.port=" + workerPort));
    client = deployment.startApi();

    long deadline = System.currentTimeMillis() + 120_000;
    while (!worker.printed(CrashWorkerMain.READY)) {
      if (!worker.isAlive() || System.currentTimeMillis() > deadline) {
        throw new AssertionError("the worker did not start: " + worker.log);
      }
      Thread.sleep(100);
    }
    workerHealth = new HealthWatch("worker", "http://127.0.0.1:" + workerPort, 1_000);
    apiHealth = new HealthWatch("api", client.baseUrl(), 2_000);
    awaitHealth("worker UP before the faults", Duration.ofSeconds(60), "db", "mail");
  }

  @AfterAll
  static void stop() throws Exception {
    while (timeLocks > 0) {
      unlockTime();
    }
    closeAll(workerHealth, apiHealth, deployment, twilioFaults, twilio, smtpGate, smtp, postgres);
    deleteTree(pgDirectory);
  }

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void sequencesWaitOutEachOutageAndContinueWithNothingLostOrDoubled() throws Exception {
    long began = System.currentTimeMillis();
    SoftAssertions softly = new SoftAssertions();
    List<String> summary = new ArrayList<>();

    // --- PostgreSQL stopped mid-campaign -------------------------------------------------------
    String pgName = "pg_down_" + PG_DOWN.toSeconds() + "s";
    String pgCampaign = emailCampaign("pg", "Fault test: PostgreSQL down");
    client.startCampaign(pgCampaign);
    awaitProgress(
        pgName + " mid-campaign",
        Duration.ofSeconds(120),
        () -> deliveriesTo("pg").size() >= MID_CAMPAIGN_EMAILS);
    Outage pg = new Outage(pgName);
    lockTime();
    pg.began = System.currentTimeMillis();
    pg.sendsAtStart = deliveriesTo("pg").size();
    postgres.close();
    pg.down = System.currentTimeMillis();
    log("%s: PostgreSQL stopped after %d ms", pgName, pg.down - pg.began);
    sleepUntil(pg.began + PG_DOWN.toMillis(), pgName);
    pg.restoring = System.currentTimeMillis();
    postgres = startPostgres(pgPort);
    jdbc = JdbcClient.create(postgres.getPostgresDatabase());
    pg.restored = System.currentTimeMillis();
    log(
        "%s: PostgreSQL started again on port %d in %d ms",
        pgName, pgPort, pg.restored - pg.restoring);
    awaitHealth(pgName + " recovery", Duration.ofSeconds(90), "db");
    pg.healthy = System.currentTimeMillis();
    unlockTime();

    // --- SMTP unreachable mid-campaign; Twilio answering 500, then 429 -----------------------
    // The next campaign is created while the first one finishes, and started once it has.
    String smtpName = "smtp_down_" + SMTP_DOWN.toSeconds() + "s";
    String twilioName = "twilio_500_429";
    String smtpCampaign = emailCampaign("smtp", "Fault test: SMTP down");

    awaitFinished(pgName, List.of(pgCampaign), EMAIL_LEADS, Duration.ofSeconds(150));
    pg.finished = System.currentTimeMillis();
    summary.addAll(checkEmail(pg, "pg", pgCampaign, "db", softly, apiHealth.downDuring(pg, "db")));

    client.startCampaign(smtpCampaign);

    awaitProgress(
        smtpName + " mid-campaign",
        Duration.ofSeconds(120),
        () -> deliveriesTo("smtp").size() >= MID_CAMPAIGN_EMAILS);
    Outage mail = new Outage(smtpName);
    lockTime();
    mail.began = System.currentTimeMillis();
    mail.sendsAtStart = deliveriesTo("smtp").size();
    smtpGate.down();
    mail.down = System.currentTimeMillis();
    log("%s: SMTP relay unreachable (%d open connections cut)", smtpName, smtpGate.cut());

    // The SMS campaign starts while time stands still, so its hooks go out on the wall clock; its
    // zone puts the Temporal clock's now inside the SMS hours.
    String smsCampaign = smsCampaign();
    client.startCampaign(smsCampaign);
    awaitProgress(
        twilioName + " mid-campaign",
        Duration.ofSeconds(60),
        () -> smsAccepted().size() >= Math.max(1, SMS_LEADS * 3 / 10));
    Outage sms = new Outage(twilioName);
    sms.began = System.currentTimeMillis();
    sms.sendsAtStart = smsAccepted().size();
    twilioFaults.mode(TwilioFaults.Mode.SERVER_ERROR);
    sms.down = System.currentTimeMillis();
    log("%s: Twilio answers 500", twilioName);
    sleepUntil(sms.began + TWILIO_500.toMillis(), twilioName);
    twilioFaults.mode(TwilioFaults.Mode.TOO_MANY_REQUESTS);
    log("%s: Twilio answers 429", twilioName);
    sleepUntil(sms.began + TWILIO_500.toMillis() + TWILIO_429.toMillis(), twilioName);
    sms.restoring = System.currentTimeMillis();
    twilioFaults.mode(TwilioFaults.Mode.PASS);
    sms.restored = sms.restoring;
    sms.healthy = sms.restoring;
    log("%s: Twilio accepts again", twilioName);

    sleepUntil(mail.began + SMTP_DOWN.toMillis(), smtpName);
    mail.restoring = System.currentTimeMillis();
    smtpGate.up();
    mail.restored = System.currentTimeMillis();
    log("%s: SMTP relay reachable again on port %d", smtpName, smtpGate.port());
    awaitHealth(smtpName + " recovery", Duration.ofSeconds(60), "mail");
    mail.healthy = System.currentTimeMillis();
    unlockTime();
    awaitFinished(
        smtpName + " and " + twilioName,
        List.of(smtpCampaign, smsCampaign),
        EMAIL_LEADS + SMS_LEADS,
        Duration.ofSeconds(150));
    mail.finished = System.currentTimeMillis();
    sms.finished = mail.finished;
    summary.addAll(checkEmail(mail, "smtp", smtpCampaign, "mail", softly, null));
    summary.addAll(checkSms(sms, smsCampaign, softly));

    summary.add(
        String.format(
            "FAULT run: took_s=%d email_leads_per_campaign=%d sms_leads=%d lock_time=%s"
                + " worker_db_connection_timeout_ms=%d temporal_time=%s logs=%s",
            (System.currentTimeMillis() - began) / 1000,
            EMAIL_LEADS,
            SMS_LEADS,
            LOCK_TIME,
            WORKER_DB_CONNECTION_TIMEOUT_MS,
            deployment.temporalTime(),
            OUT.toAbsolutePath()));
    summary.forEach(System.out::println);
    Files.write(OUT.resolve("summary.txt"), summary);
    softly.assertAll();
  }

  // ---------------------------------------------------------------------------------------------
  // Outages and what the health endpoint said meanwhile

  /** One fault: when it began, when the dependency was gone, back, and the worker healthy. */
  static final class Outage {
    final String name;
    long began;
    long down;
    long restoring;
    long restored;
    long healthy;
    long finished;
    long sendsAtStart;

    Outage(String name) {
      this.name = name;
    }
  }

  /** One answer of {@code /actuator/health}: the overall status and each component's. */
  record Sample(long sentAt, long receivedAt, int http, String status, Map<String, String> parts) {
    boolean up(String component) {
      return "UP".equals(status) && "UP".equals(parts.get(component));
    }
  }

  /** What the health answers during an outage showed. */
  record Observed(
      int samples, int down, long firstDownAfterMs, Map<String, Long> statuses, String note) {
    boolean seen() {
      return down > 0;
    }
  }

  /** Asks an application's {@code /actuator/health} at a fixed rate, never waiting for answers. */
  static final class HealthWatch implements AutoCloseable {
    private final String name;
    private final URI uri;
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "health-watch");
              thread.setDaemon(true);
              return thread;
            });

    HealthWatch(String name, String baseUrl, long everyMillis) {
      this.name = name;
      this.uri = URI.create(baseUrl + "/actuator/health");
      timer.scheduleAtFixedRate(this::ask, 0, everyMillis, TimeUnit.MILLISECONDS);
    }

    private void ask() {
      long sentAt = System.currentTimeMillis();
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build();
      http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
          .whenComplete(
              (response, failure) ->
                  samples.add(
                      failure != null
                          ? new Sample(
                              sentAt, System.currentTimeMillis(), 0, "UNREACHABLE", Map.of())
                          : parse(sentAt, response)));
    }

    private static Sample parse(long sentAt, HttpResponse<String> response) {
      long receivedAt = System.currentTimeMillis();
      try {
        JsonNode body = json.readTree(response.body());
        Map<String, String> parts = new TreeMap<>();
        body.path("components")
            .properties()
            .forEach(e -> parts.put(e.getKey(), e.getValue().path("status").asString()));
        return new Sample(
            sentAt, receivedAt, response.statusCode(), body.path("status").asString(), parts);
      } catch (RuntimeException e) {
        return new Sample(sentAt, receivedAt, response.statusCode(), "UNPARSABLE", Map.of());
      }
    }

    /**
     * The answers to the requests sent after the dependency went down and received before it was
     * restored: each should show the component not UP.
     */
    Observed downDuring(Outage outage, String component) {
      List<Sample> during =
          samples.stream()
              .filter(s -> s.sentAt() >= outage.down && s.receivedAt() <= outage.restoring)
              .sorted(Comparator.comparingLong(Sample::receivedAt))
              .toList();
      List<Sample> down = during.stream().filter(s -> !s.up(component)).toList();
      Map<String, Long> statuses =
          during.stream()
              .collect(
                  Collectors.groupingBy(
                      s ->
                          s.http()
                              + ":"
                              + s.status()
                              + "/"
                              + component
                              + "="
                              + s.parts().get(component),
                      TreeMap::new,
                      Collectors.counting()));
      long slowest =
          samples.stream()
              .filter(s -> s.sentAt() >= outage.down && s.sentAt() <= outage.restoring)
              .mapToLong(s -> s.receivedAt() - s.sentAt())
              .max()
              .orElse(-1);
      return new Observed(
          during.size(),
          down.size(),
          down.isEmpty() ? -1 : down.get(0).receivedAt() - outage.down,
          statuses,
          name + " slowest_answer_ms=" + slowest);
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }

  /** Waits until the worker's health is UP with each of the components UP. */
  private static void awaitHealth(String what, Duration limit, String... components)
      throws Exception {
    long deadline = System.currentTimeMillis() + limit.toMillis();
    Sample last = null;
    while (System.currentTimeMillis() < deadline) {
      long sentAt = System.currentTimeMillis();
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + workerPort + "/actuator/health"))
                    .timeout(Duration.ofSeconds(60))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        last = HealthWatch.parse(sentAt, response);
        Sample sample = last;
        if (Stream.of(components).allMatch(sample::up)) {
          log("%s: worker health UP %s", what, sample.parts());
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        what + ": the worker's health was not UP within " + limit + ", last answer " + last);
  }

  // ---------------------------------------------------------------------------------------------
  // Time skipping

  private static void lockTime() {
    if (!LOCK_TIME) {
      return;
    }
    deployment.lockTimeSkipping();
    timeLocks++;
    log("time skipping locked at temporal time %s", deployment.temporalTime());
  }

  private static void unlockTime() {
    if (!LOCK_TIME || timeLocks == 0) {
      return;
    }
    deployment.unlockTimeSkipping();
    timeLocks--;
    log("time skipping unlocked at temporal time %s", deployment.temporalTime());
  }

  // ---------------------------------------------------------------------------------------------
  // Waiting

  private static void sleepUntil(long at, String what) throws InterruptedException {
    long lastLog = 0;
    while (true) {
      long now = System.currentTimeMillis();
      if (now >= at) {
        return;
      }
      if (now - lastLog >= 10_000) {
        lastLog = now;
        log(
            "%s: %d s left; smtp_deliveries=%d twilio_accepted=%d gate=%s twilio=%s",
            what,
            (at - now + 999) / 1000,
            smtp.deliveredCount(),
            twilio.acceptedCount(),
            smtpGate.isUp() ? "up" : "down",
            twilioFaults.mode());
      }
      Thread.sleep(Math.min(250, at - now));
    }
  }

  private static void awaitProgress(String what, Duration limit, BooleanSupplier reached)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + limit.toMillis();
    while (!reached.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(
            what
                + " not reached within "
                + limit
                + ": smtp_deliveries="
                + smtp.deliveredCount()
                + " twilio_accepted="
                + twilio.acceptedCount());
      }
      Thread.sleep(50);
    }
    log(
        "%s: smtp_deliveries=%d twilio_accepted=%d temporal_time=%s",
        what, smtp.deliveredCount(), twilio.acceptedCount(), deployment.temporalTime());
  }

  private static void awaitFinished(String what, List<String> campaigns, int leads, Duration limit)
      throws Exception {
    long deadline = System.currentTimeMillis() + limit.toMillis();
    long lastLog = 0;
    while (true) {
      Map<String, Long> statuses = leadStatuses(jdbc, campaigns);
      long done = finishedLeads(statuses);
      long now = System.currentTimeMillis();
      if (done >= leads) {
        log("%s: every lead finished %s", what, statuses);
        return;
      }
      if (now > deadline) {
        throw new AssertionError(
            what
                + ": not every lead finished within "
                + limit
                + ": "
                + statuses
                + ", messages SENDING: "
                + sending(jdbc, campaigns));
      }
      if (now - lastLog >= 10_000) {
        lastLog = now;
        log(
            "%s: leads=%s smtp_deliveries=%d twilio_accepted=%d temporal_time=%s",
            what,
            statuses,
            smtp.deliveredCount(),
            twilio.acceptedCount(),
            deployment.temporalTime());
      }
      Thread.sleep(250);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // What the relay, the stand-in, the store and the health endpoint saw

  private static List<Delivery> deliveriesTo(String prefix) {
    return smtp.deliveries().stream()
        .filter(d -> d.recipient().startsWith(prefix + ".lead"))
        .toList();
  }

  private static List<Accepted> smsAccepted() {
    return twilio.accepted().stream().filter(m -> m.to().startsWith("+1415300")).toList();
  }

  private static List<String> checkEmail(
      Outage outage,
      String prefix,
      String campaign,
      String component,
      SoftAssertions softly,
      Observed apiObserved) {
    Map<String, Map<String, List<Delivery>>> byLead = new LinkedHashMap<>();
    for (int i = 0; i < EMAIL_LEADS; i++) {
      byLead.put(email(prefix, i), new HashMap<>());
    }
    List<String> problems = new ArrayList<>();
    long raw = 0;
    for (Delivery delivery : deliveriesTo(prefix)) {
      Map<String, List<Delivery>> steps = byLead.get(delivery.recipient());
      String step = emailStep(delivery.subject());
      if (steps == null || step == null || delivery.messageId() == null) {
        problems.add("a delivery of no lead, no step or without Message-ID: " + delivery);
        continue;
      }
      raw++;
      steps.computeIfAbsent(step, s -> new ArrayList<>()).add(delivery);
    }
    long distinct = 0;
    long missing = 0;
    long sameId = 0;
    for (Map.Entry<String, Map<String, List<Delivery>>> lead : byLead.entrySet()) {
      for (String step : STEPS) {
        Map<String, List<Delivery>> byId =
            lead.getValue().getOrDefault(step, List.of()).stream()
                .collect(
                    Collectors.groupingBy(
                        Delivery::messageId, LinkedHashMap::new, Collectors.toList()));
        distinct += byId.size();
        if (byId.isEmpty()) {
          missing++;
          problems.add(lead.getKey() + " " + step + ": never delivered");
        } else if (byId.size() > 1) {
          problems.add(
              lead.getKey() + " " + step + ": " + byId.size() + " Message-IDs " + byId.keySet());
        }
        for (List<Delivery> same : byId.values()) {
          same.sort(Comparator.comparingLong(Delivery::acceptedAtMillis));
          for (int i = 1; i < same.size(); i++) {
            sameId++;
            long first = same.get(i - 1).acceptedAtMillis();
            if (first < outage.began - HANDOVER_WINDOW_MS || first > outage.restored) {
              problems.add(
                  lead.getKey()
                      + " "
                      + step
                      + ": "
                      + same.get(i).messageId()
                      + " delivered again, its first delivery at "
                      + (first - outage.began)
                      + " ms from the outage's start: no hand-over the outage interrupted");
            }
          }
        }
      }
    }
    Observed observed = workerHealth.downDuring(outage, component);
    Map<String, Long> statuses = leadStatuses(jdbc, List.of(campaign));
    long sending = sending(jdbc, List.of(campaign));
    Map<String, Long> stepStatuses = stepStatuses(campaign);
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "FAULT %s: leads=%d sent=%d duplicates_same_id=%d health_down_seen=%s"
                + " raw_deliveries=%d missing=%d sent_before_fault=%d health_%s_down=%d/%d"
                + " first_down_after_ms=%d healthy_after_restore_ms=%d recovered_after_restore_s=%d"
                + " leads_by_status=%s sending_left=%d lead_steps=%s",
            outage.name,
            EMAIL_LEADS,
            distinct,
            sameId,
            observed.seen(),
            raw,
            missing,
            outage.sendsAtStart,
            component,
            observed.down(),
            observed.samples(),
            observed.firstDownAfterMs(),
            outage.healthy - outage.restored,
            (outage.finished - outage.restored) / 1000,
            statuses,
            sending,
            stepStatuses));
    lines.add(
        String.format(
            "FAULT %s health: worker %s %s", outage.name, observed.statuses(), observed.note()));
    if (apiObserved != null) {
      lines.add(
          String.format(
              "FAULT %s health: api (default Hikari connection-timeout) down=%d/%d"
                  + " first_down_after_ms=%d %s %s",
              outage.name,
              apiObserved.down(),
              apiObserved.samples(),
              apiObserved.firstDownAfterMs(),
              apiObserved.statuses(),
              apiObserved.note()));
    }
    if (outage.name.startsWith("smtp")) {
      lines.add(
          String.format(
              "FAULT %s relay: connections=%d cut_by_outage=%d broken_transfers=%d",
              outage.name, smtpGate.connections(), smtpGate.cut(), smtp.brokenTransfers()));
    }
    problems.stream()
        .limit(30)
        .map(p -> "FAULT " + outage.name + " problem: " + p)
        .forEach(lines::add);
    softly.assertThat(problems).as(outage.name + ": each step of every lead once").isEmpty();
    softly
        .assertThat(distinct)
        .as(outage.name + ": distinct Message-IDs")
        .isEqualTo(3L * EMAIL_LEADS);
    softly
        .assertThat(outage.sendsAtStart)
        .as(outage.name + ": the fault came mid-campaign")
        .isBetween(1L, 3L * EMAIL_LEADS - 1);
    assertHealthShowedOutage(outage, component, observed, softly);
    assertStore(outage.name, EMAIL_LEADS, statuses, sending, stepStatuses, softly);
    return lines;
  }

  private static void assertHealthShowedOutage(
      Outage outage, String component, Observed observed, SoftAssertions softly) {
    softly
        .assertThat(observed.samples())
        .as(outage.name + ": health answers received while the outage lasted")
        .isPositive();
    softly
        .assertThat(observed.down())
        .as(
            outage.name
                + ": every health answer during the outage shows "
                + component
                + " not UP "
                + observed.statuses())
        .isEqualTo(observed.samples());
    softly
        .assertThat(outage.healthy - outage.restored)
        .as(outage.name + ": health UP again soon after the restore (ms)")
        .isLessThan(60_000);
  }

  private static List<String> checkSms(Outage outage, String campaign, SoftAssertions softly) {
    Map<String, Map<String, List<Accepted>>> byLead = new LinkedHashMap<>();
    for (int i = 0; i < SMS_LEADS; i++) {
      byLead.put(phone(i), new HashMap<>());
    }
    List<String> problems = new ArrayList<>();
    long raw = 0;
    for (Accepted message : smsAccepted()) {
      Map<String, List<Accepted>> steps = byLead.get(message.to());
      String step = smsStep(message.body());
      if (steps == null || step == null) {
        problems.add("a message of no lead or no step: " + message);
        continue;
      }
      raw++;
      steps.computeIfAbsent(step, s -> new ArrayList<>()).add(message);
    }
    long distinct = 0;
    long missing = 0;
    for (Map.Entry<String, Map<String, List<Accepted>>> lead : byLead.entrySet()) {
      for (String step : STEPS) {
        List<Accepted> messages = lead.getValue().getOrDefault(step, List.of());
        distinct += messages.stream().map(Accepted::body).distinct().count();
        if (messages.isEmpty()) {
          missing++;
          problems.add(lead.getKey() + " " + step + ": never accepted");
        } else if (messages.size() > 1) {
          problems.add(
              lead.getKey()
                  + " "
                  + step
                  + ": accepted "
                  + messages.size()
                  + " times "
                  + messages.stream()
                      .map(m -> m.sid() + "@" + (m.acceptedAtMillis() - outage.began))
                      .collect(Collectors.joining(", ")));
        }
      }
    }
    long lastHook =
        smsAccepted().stream()
            .filter(m -> "hook".equals(smsStep(m.body())))
            .mapToLong(Accepted::acceptedAtMillis)
            .max()
            .orElse(0);
    Map<String, Long> statuses = leadStatuses(jdbc, List.of(campaign));
    long sending = sending(jdbc, List.of(campaign));
    Map<String, Long> stepStatuses = stepStatuses(campaign);
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "FAULT %s: leads=%d sent=%d duplicates=%d health_down_seen=n/a"
                + " (no Twilio health indicator) accepted=%d missing=%d sent_before_fault=%d"
                + " answered_500=%d answered_429=%d accepted_then_500=%d lookups=%d"
                + " hooks_all_out_after_restore_ms=%d leads_by_status=%s sending_left=%d"
                + " lead_steps=%s",
            outage.name,
            SMS_LEADS,
            distinct,
            raw - distinct,
            raw,
            missing,
            outage.sendsAtStart,
            twilioFaults.serverErrors(),
            twilioFaults.tooManyRequests(),
            twilioFaults.acceptedThenServerError(),
            twilio.lookups(),
            lastHook - outage.restored,
            statuses,
            sending,
            stepStatuses));
    problems.stream()
        .limit(30)
        .map(p -> "FAULT " + outage.name + " problem: " + p)
        .forEach(lines::add);
    softly.assertThat(problems).as(outage.name + ": each step of every lead once").isEmpty();
    softly.assertThat(raw).as(outage.name + ": accepted messages").isEqualTo(3L * SMS_LEADS);
    softly.assertThat(twilioFaults.serverErrors()).as(outage.name + ": 500 answers").isPositive();
    softly
        .assertThat(twilioFaults.tooManyRequests())
        .as(outage.name + ": 429 answers")
        .isPositive();
    softly
        .assertThat(outage.sendsAtStart)
        .as(outage.name + ": the fault came mid-campaign")
        .isBetween(1L, 3L * SMS_LEADS - 1);
    assertStore(outage.name, SMS_LEADS, statuses, sending, stepStatuses, softly);
    return lines;
  }

  private static void assertStore(
      String name,
      int leads,
      Map<String, Long> statuses,
      long sending,
      Map<String, Long> stepStatuses,
      SoftAssertions softly) {
    softly
        .assertThat(statuses)
        .as(name + ": leads by status")
        .isEqualTo(Map.of("COMPLETED", (long) leads));
    softly.assertThat(sending).as(name + ": messages left SENDING").isZero();
    softly
        .assertThat(stepStatuses)
        .as(name + ": lead steps by status")
        .isEqualTo(Map.of("sent", 3L * leads));
  }

  private static Map<String, Long> stepStatuses(String campaign) {
    Map<String, Long> statuses = new TreeMap<>();
    jdbc.sql(
            "select s.status, count(*) from lead_steps s join leads l on l.id = s.lead_pk"
                + " where l.campaign_id = ? group by s.status")
        .param(campaign)
        .query((rs, i) -> Map.entry(rs.getString(1), rs.getLong(2)))
        .list()
        .forEach(e -> statuses.put(e.getKey(), e.getValue()));
    return statuses;
  }

  // ---------------------------------------------------------------------------------------------
  // Campaigns

  private static String email(String prefix, int i) {
    return String.format("%s.lead%04d@example.com", prefix, i);
  }

  private static String phone(int i) {
    return String.format("+1415%07d", 3_000_000 + i);
  }

  /** Three steps on days 0, 1 and 2 (days must strictly increase), every instant allowed. */
  private static String emailCampaign(String prefix, String name) {
    String campaign = client.createCampaign(CrashHarness.emailCampaignJson(name, 1, 2));
    StringBuilder csv = new StringBuilder("lead_id,email,first_name,company\n");
    for (int i = 0; i < EMAIL_LEADS; i++) {
      csv.append(
          String.format("%s-%04d,%s,Lead%d,Company %d%n", prefix, i, email(prefix, i), i, i));
    }
    client.importLeads(campaign, csv.toString(), EMAIL_LEADS);
    return campaign;
  }

  private static String smsCampaign() {
    ZoneId zone = zoneWithinSmsHours(deployment.temporalTime());
    String campaign =
        client.createCampaign(
            CrashHarness.smsCampaignJson("Fault test: Twilio 500 and 429", zone, 1, 2));
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

  /**
   * The embedded PostgreSQL on a data directory that outlives it, so that it can be stopped and
   * started again on the same port with everything it had committed.
   */
  private static EmbeddedPostgres startPostgres(int port) throws IOException {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder().setDataDirectory(pgDirectory).setCleanDataDirectory(false);
    if (port != 0) {
      builder.setPort(port);
    }
    return builder.start();
  }

  /**
   * Progress, with the time: to standard output, which Surefire keeps until the test ends, and to
   * {@code progress.log} in the run's directory, to follow while it runs.
   */
  private static synchronized void log(String format, Object... args) {
    String line =
        String.format(
            "FAULT-TEST %s %s",
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS").format(LocalDateTime.now()),
            String.format(format, args));
    System.out.println(line);
    try {
      Files.writeString(
          OUT.resolve("progress.log"),
          line + System.lineSeparator(),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      // Standard output has it.
    }
  }
}
