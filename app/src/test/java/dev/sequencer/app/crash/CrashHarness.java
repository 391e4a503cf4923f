package dev.sequencer.app.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the process-level tests ({@link SendCrashTest}, {@link FaultToleranceTest}) share besides
 * their {@link SplitDeployment}: the api over HTTP, the copy of their campaigns and how a delivery
 * is told apart by step, the store's tallies, and the plumbing of ports and directories.
 */
final class CrashHarness {

  private static final JsonMapper json = JsonMapper.builder().build();

  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The steps of the tests' campaigns, in the order they go out. */
  static final List<String> STEPS = List.of("hook", "proof", "fomo");

  /** The lead statuses a sequence ends in. */
  static final Set<String> FINAL =
      Set.of(
          "HOLDOUT",
          "SUPPRESSED",
          "REPLIED",
          "OPTED_OUT",
          "BOUNCED",
          "FAILED",
          "COMPLETED",
          "CANCELLED");

  /** A Twilio test number: valid as a sender, and nobody's phone. */
  private static final String SENDER_PHONE = "+15005550006";

  private CrashHarness() {}

  /**
   * The directory of one run's logs and summary, {@code target/<test>/run-<time>-<pid>}: a
   * directory of its own, as another build of the project may run the same test at the same time.
   */
  static Path runDirectory(String test) {
    return Path.of(
        "target",
        test,
        "run-"
            + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now())
            + "-"
            + ProcessHandle.current().pid());
  }

  record Response(int status, String body) {
    JsonNode json() {
      return CrashHarness.json.readTree(body);
    }
  }

  /** The api of a test, under its key. */
  record Api(String baseUrl, String apiKey) {

    Response post(String path, String body, String contentType) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(baseUrl + path))
              .timeout(Duration.ofSeconds(120))
              .header("Authorization", "Bearer " + apiKey)
              .header("Content-Type", contentType)
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    String createCampaign(String body) {
      Response created = post("/api/v1/campaigns", body, "application/json");
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      return created.json().get("campaign_id").asString();
    }

    /**
     * Starts the campaign's run. The api answers 503 when Temporal did not start it in time (the
     * freshly started test server's first calls can be slow on two cores) and leaves the campaign a
     * draft, to be started again.
     */
    void startCampaign(String campaign) throws InterruptedException {
      Response started = null;
      for (int attempt = 0; attempt < 5; attempt++) {
        started = post("/api/v1/campaigns/" + campaign + "/start", "{}", "application/json");
        if (started.status() != 503) {
          break;
        }
        Thread.sleep(1_000);
      }
      assertThat(started.status()).as(started.body()).isEqualTo(202);
    }

    /** Starts the campaign's run for {@code startAt}, as {@link #startCampaign} does for now. */
    void startCampaignAt(String campaign, java.time.Instant startAt) throws InterruptedException {
      Response started = null;
      for (int attempt = 0; attempt < 5; attempt++) {
        started =
            post(
                "/api/v1/campaigns/" + campaign + "/start",
                "{\"start_at\": \"" + startAt + "\"}",
                "application/json");
        if (started.status() != 503) {
          break;
        }
        Thread.sleep(1_000);
      }
      assertThat(started.status()).as(started.body()).isEqualTo(202);
    }

    void importLeads(String campaign, String csv, int count) {
      Response imported = post("/api/v1/campaigns/" + campaign + "/leads", csv, "text/csv");
      assertThat(imported.status()).as(imported.body()).isBetween(200, 202);
      assertThat(imported.json().get("accepted").asInt()).as(imported.body()).isEqualTo(count);
    }
  }

  /**
   * An email campaign of the tests' copy, on the given days, every instant allowed: each step's
   * subject tells it apart at the relay ({@link #emailStep}).
   */
  static String emailCampaignJson(String name, int proofDay, int fomoDay) {
    return """
        {"name": "%s", "channel": "email",
         "sender": {"email": "ada@acme.test", "name": "Ada Lovelace"},
         "steps": [
           {"type": "hook", "day": 0, "subject": "Quick idea for {{company|your team}}",
            "body": "Hi {{first_name|there}},\\nAn idea for {{company|you}}. Worth a call?"},
           {"type": "proof", "day": %d, "subject": "How teams like {{company|yours}} use it",
            "body": "Hi {{first_name|there}},\\nTeams like yours halved their follow-ups."},
           {"type": "fomo", "day": %d, "subject": "Last note from me",
            "body": "Hi {{first_name|there}},\\nI'll close the loop here."}],
         "schedule": {"timezone": "UTC", "holiday_calendar": null,
                      "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
        """
        .formatted(name, proofDay, fomoDay);
  }

  /** An SMS campaign of the tests' copy in {@code zone}: each body tells its step apart. */
  static String smsCampaignJson(String name, ZoneId zone, int proofDay, int fomoDay) {
    return """
        {"name": "%s", "channel": "sms", "sender": {"phone": "%s"},
         "steps": [
           {"type": "hook", "day": 0,
            "body": "Hi {{first_name|there}}, quick idea for {{company|you}}. Open to a chat?"},
           {"type": "proof", "day": %d,
            "body": "Teams like {{company|yours}} halved follow-up time. Want the details?"},
           {"type": "fomo", "day": %d,
            "body": "Last note from me, {{first_name|there}}. Reply anytime."}],
         "schedule": {"timezone": "%s", "holiday_calendar": null,
                      "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
        """
        .formatted(name, SENDER_PHONE, proofDay, fomoDay, zone.getId());
  }

  /** The step an email of the tests' campaigns is, by its subject; null for anything else. */
  static String emailStep(String subject) {
    if (subject == null) {
      return null;
    }
    if (subject.startsWith("Quick idea for ")) {
      return "hook";
    }
    if (subject.startsWith("How teams like ")) {
      return "proof";
    }
    return subject.equals("Last note from me") ? "fomo" : null;
  }

  /** The step an SMS of the tests' campaigns is, by its body; null for anything else. */
  static String smsStep(String body) {
    if (body.startsWith("Hi ") && body.contains("quick idea")) {
      return "hook";
    }
    if (body.startsWith("Teams like ")) {
      return "proof";
    }
    return body.startsWith("Last note from me") ? "fomo" : null;
  }

  /** The campaigns' leads by status, summed. */
  static Map<String, Long> leadStatuses(JdbcClient jdbc, List<String> campaigns) {
    Map<String, Long> statuses = new TreeMap<>();
    for (String campaign : campaigns) {
      jdbc.sql("select status, count(*) from leads where campaign_id = ? group by status")
          .param(campaign)
          .query((rs, i) -> Map.entry(rs.getString(1), rs.getLong(2)))
          .list()
          .forEach(e -> statuses.merge(e.getKey(), e.getValue(), Long::sum));
    }
    return statuses;
  }

  /** How many of the leads counted in {@code statuses} have ended their sequence. */
  static long finishedLeads(Map<String, Long> statuses) {
    return statuses.entrySet().stream()
        .filter(e -> FINAL.contains(e.getKey()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** How many of the campaigns' messages are still {@code SENDING}. */
  static long sending(JdbcClient jdbc, List<String> campaigns) {
    long sending = 0;
    for (String campaign : campaigns) {
      sending +=
          jdbc.sql("select count(*) from messages where campaign_id = ? and status = 'SENDING'")
              .param(campaign)
              .query(Long.class)
              .single();
    }
    return sending;
  }

  /** Closes each in turn, passing over what a start that failed early left null. */
  static void closeAll(AutoCloseable... resources) throws Exception {
    for (AutoCloseable resource : resources) {
      if (resource != null) {
        resource.close();
      }
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
