package dev.sequencer.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole service as the run command starts it (embedded Temporal, PostgreSQL, SMTP and IMAP),
 * once per test JVM, on free ports, driven over real HTTP.
 */
final class RunningService {

  static final String KEY = "test-api-key";

  /** The platform admin key of every service the tests start. */
  static final String ADMIN_KEY = "test-platform-admin-key";

  private static RunningService instance;

  final ConfigurableApplicationContext context;
  final String baseUrl;
  final int smtpPort;
  final int imapPort;
  final JsonMapper json = JsonMapper.builder().build();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private RunningService(ConfigurableApplicationContext context, int smtpPort, int imapPort) {
    this.context = context;
    this.baseUrl = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    this.smtpPort = smtpPort;
    this.imapPort = imapPort;
  }

  /** The service shared by the tests of this JVM, on a real-time Temporal server. */
  static synchronized RunningService get() {
    if (instance == null) {
      instance = start();
      Runtime.getRuntime().addShutdownHook(new Thread(instance.context::close));
    }
    return instance;
  }

  /** A client of an application context started elsewhere. */
  static RunningService of(ConfigurableApplicationContext context) {
    return new RunningService(context, -1, -1);
  }

  /** A service of its own; the caller closes its context. */
  static RunningService start(String... extraArguments) {
    int smtp = freePort();
    int imap = freePort();
    java.util.List<String> arguments =
        new java.util.ArrayList<>(
            java.util.List.of(
                "--server.port=0",
                "--sequencer.api-key=" + KEY,
                "--sequencer.access.admin-key=" + ADMIN_KEY,
                "--sequencer.embedded.temporal-port=" + freePort(),
                "--sequencer.embedded.smtp-port=" + smtp,
                "--sequencer.embedded.imap-port=" + imap,
                "--sequencer.imap.poll-interval=1s",
                // A mailbox of the embedded server fails its login until its first mail arrives;
                // a test's reply must not wait out a back-off grown meanwhile (up to 10 min by
                // default). The back-off itself is tested on its own.
                "--sequencer.imap.max-back-off=4s",
                "--spring.main.banner-mode=off"));
    arguments.addAll(java.util.List.of(extraArguments));
    ConfigurableApplicationContext context =
        SequencerApplication.start(arguments.toArray(String[]::new));
    return new RunningService(context, smtp, imap);
  }

  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  Response get(String path) {
    return send(request(path, KEY).GET());
  }

  Response post(String path, String body) {
    return send(request(path, KEY).header("Content-Type", "application/json").POST(body(body)));
  }

  Response patch(String path, String body) {
    return send(
        request(path, KEY).header("Content-Type", "application/json").method("PATCH", body(body)));
  }

  /** Any method, with the given key and an optional JSON body. */
  Response call(String method, String path, String key, String json) {
    HttpRequest.Builder request = request(path, key);
    if (json == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json").method(method, body(json));
    }
    return send(request);
  }

  Response postCsv(String path, String csv) {
    return send(request(path, KEY).header("Content-Type", "text/csv").POST(body(csv)));
  }

  Response send(HttpRequest.Builder request) {
    try {
      HttpRequest built = request.build();
      HttpResponse<String> response;
      try {
        response = http.send(built, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
          throw e;
        }
        // A kept-alive connection the server had just closed as idle: the request never reached
        // it, and HTTP clients send it again on a new connection.
        response = http.send(built, HttpResponse.BodyHandlers.ofString());
      }
      // The tests' own key is shared by every test class of this JVM: like a well-behaved client
      // it waits as Retry-After says when the rate limit answers. Other keys see the 429.
      for (int retry = 0;
          retry < 5
              && response.statusCode() == 429
              && built.headers().firstValue("Authorization").orElse("").equals("Bearer " + KEY);
          retry++) {
        Thread.sleep(1000L * response.headers().firstValueAsLong("Retry-After").orElse(1L));
        response = http.send(built, HttpResponse.BodyHandlers.ofString());
      }
      return new Response(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body(),
          response.headers(),
          json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpRequest.Builder request(String path, String key) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(120));
    return key == null ? builder : builder.header("Authorization", "Bearer " + key);
  }

  private static HttpRequest.BodyPublisher body(String body) {
    return HttpRequest.BodyPublishers.ofString(body);
  }

  /**
   * Imports {@code count} generated leads into the campaign as CSV ({@code <prefix>-<i>}, {@code
   * <prefix><i>@<domain>}, first name and company set) and checks that every row was accepted.
   */
  void importLeads(String campaign, String prefix, String domain, int count) {
    StringBuilder csv = new StringBuilder("lead_id,email,first_name,company\n");
    for (int i = 0; i < count; i++) {
      csv.append(prefix).append('-').append(i).append(',');
      csv.append(prefix).append(i).append('@').append(domain).append(",Sam,Initech\n");
    }
    Response imported = postCsv("/api/v1/campaigns/" + campaign + "/leads", csv.toString());
    if (imported.json().get("accepted").asInt() != count) {
      throw new IllegalStateException("not every lead was accepted: " + imported);
    }
  }

  /** A new organization, made with the platform admin key; returns its first admin key. */
  Organization newOrganization(String name) {
    Response created =
        send(
            request("/api/v1/organizations", ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(body("{\"name\": \"" + name + "\"}")));
    if (created.status() != 201) {
      throw new IllegalStateException("organization not created: " + created);
    }
    return new Organization(
        created.json().get("organization_id").asString(),
        created.json().get("api_key").get("key").asString());
  }

  /** A new key of the organization whose admin key is given; returns its secret. */
  String newKey(String adminKey, String role) {
    Response created =
        send(
            request("/api/v1/keys", adminKey)
                .header("Content-Type", "application/json")
                .POST(body("{\"name\": \"" + role + " key\", \"role\": \"" + role + "\"}")));
    if (created.status() != 201) {
      throw new IllegalStateException("key not created: " + created);
    }
    return created.json().get("key").asString();
  }

  record Organization(String id, String adminKey) {}

  /** Messages of the campaign handed over so far. */
  long sentMessages(String campaign) {
    return bean(org.springframework.jdbc.core.simple.JdbcClient.class)
        .sql("select count(*) from messages where campaign_id = ? and status = 'SENT'")
        .param(campaign)
        .query(Long.class)
        .single();
  }

  /** Creates an email campaign that may send at any instant of any day, and returns its id. */
  String createOpenEmailCampaign(String name) {
    Response created =
        post(
            "/api/v1/campaigns",
            """
            {"name": "%s", "channel": "email",
             "sender": {"email": "ada@acme.test", "name": "Ada Lovelace"},
             "steps": [
               {"type": "hook", "day": 0, "subject": "Quick idea for {{company|your team}}",
                "body": "Hi {{first_name|there}},\\nAn idea for {{company|you}}."},
               {"type": "proof", "day": 3, "subject": "Proof", "body": "Proof for {{first_name|you}}"},
               {"type": "fomo", "day": 7, "subject": "Last call", "body": "Last call {{first_name|}}"}],
             "schedule": {"timezone": "UTC", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
            """
                .formatted(name));
    if (created.status() != 201) {
      throw new IllegalStateException("campaign not created: " + created);
    }
    return created.json().get("campaign_id").asString();
  }

  /**
   * An SMS campaign that may text every day of the week, without holidays, in {@code zone}: one
   * hook, "Hi {{first_name|there}}, quick question?".
   */
  String createOpenSmsCampaign(String name, String senderPhone, java.time.ZoneId zone) {
    Response created =
        post(
            "/api/v1/campaigns",
            """
            {"name": "%s", "channel": "sms", "sender": {"phone": "%s"},
             "steps": [{"type": "hook", "day": 0, "body": "Hi {{first_name|there}}, quick question?"}],
             "schedule": {"timezone": "%s", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]}}
            """
                .formatted(name, senderPhone, zone.getId()));
    if (created.status() != 201) {
      throw new IllegalStateException("campaign not created: " + created);
    }
    return created.json().get("campaign_id").asString();
  }

  /**
   * A free port below Linux's ephemeral range (32768 and up), for a server a test binds, closes and
   * binds again: {@link #freePort()} and every outgoing connection take ports from that range, so
   * between two binds another service of the same run could be given this one.
   */
  static int freePortOutsideEphemeralRange() {
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = 20_000 + random.nextInt(12_000);
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
        return port;
      } catch (IOException taken) {
        // another one
      }
    }
    throw new IllegalStateException("no free port between 20000 and 32000");
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  record Response(
      int status,
      String contentType,
      String body,
      java.net.http.HttpHeaders headers,
      JsonMapper mapper) {
    JsonNode json() {
      return mapper.readTree(body);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
