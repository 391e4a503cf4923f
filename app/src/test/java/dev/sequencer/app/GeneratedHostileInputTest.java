package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.app.HostileRequests.Attack;
import dev.sequencer.app.HostileRequests.Body;
import dev.sequencer.app.HostileRequests.BodyKind;
import dev.sequencer.app.HostileRequests.Route;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * At least 10,000 generated hostile requests across every endpoint (see {@link HostileRequests}):
 * none gets a 5xx, none that is refused writes a row, none reads another organization's data, and
 * no line break reaches a stored value that becomes a mail header. The seed is printed; {@code
 * -Dsequencer.hostile.seed=…} repeats a run and {@code -Dsequencer.hostile.requests=…} sizes it.
 */
class GeneratedHostileInputTest {

  private static final int REQUESTS = Integer.getInteger("sequencer.hostile.requests", 10_000);
  private static final String FOREIGN_MARK = "foreignmark";

  private static RunningService service;
  private static JdbcClient jdbc;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * Sends a request; when a pooled connection turns out closed before a byte came back (the server
   * dropped it as idle while the client picked it), sends it once more on a new connection, as any
   * HTTP client does. A server that drops the request itself drops the second one too.
   */
  private static HttpResponse<String> sendOnce(HttpRequest request)
      throws java.io.IOException, InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      if (e.getMessage() == null || !e.getMessage().contains("received no bytes")) {
        throw e;
      }
      return HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .build()
          .send(request, HttpResponse.BodyHandlers.ofString());
    }
  }

  @BeforeAll
  static void start() {
    service =
        RunningService.start(
            "--sequencer.access.rate-limit=1000000",
            "--sequencer.access.rate-limit-burst=1000000",
            "--sequencer.twilio.auth-token=" + TwilioWebhookTest.AUTH_TOKEN,
            "--sequencer.twilio.account-sid=" + TwilioWebhookTest.ACCOUNT_SID,
            "--sequencer.public-url=" + TwilioWebhookTest.PUBLIC_URL);
    jdbc = service.bean(JdbcClient.class);
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.context.close();
    }
  }

  @Test
  void tenThousandHostileRequestsGetNo5xxWriteNothingWhenRefusedAndReadNothingForeign() {
    long seed = Long.getLong("sequencer.hostile.seed", System.nanoTime());
    System.out.println("GeneratedHostileInputTest seed: " + seed + " (-Dsequencer.hostile.seed)");
    RunningService.Organization own = service.newOrganization("Hostile own");
    RunningService.Organization foreign = service.newOrganization("Hostile " + FOREIGN_MARK);
    Map<String, String> ids = ownThings(own);
    List<String> foreignIds = foreignThings(foreign);
    String otherKey = service.newKey(own.adminKey(), "read_only");
    HostileRequests requests =
        new HostileRequests(
            new Random(seed),
            routes(),
            ids,
            foreignIds,
            own.adminKey(),
            List.of(foreign.adminKey(), otherKey, RunningService.ADMIN_KEY),
            (path, form) -> TwilioWebhookTest.signature(TwilioWebhookTest.PUBLIC_URL + path, form));

    Map<String, Integer> byStatus = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    int sent = 0;
    int refused = 0;
    while (sent < REQUESTS) {
      Attack attack = requests.next();
      HttpRequest request;
      try {
        request = request(attack);
      } catch (IllegalArgumentException unsendable) {
        continue; // a header value no HTTP client sends (a NUL in a key): nothing to test
      }
      String before = attack.mutating() ? fingerprint() : null;
      HttpResponse<String> response;
      try {
        response = sendOnce(request);
      } catch (java.io.IOException e) {
        failures.add("no answer (" + e + ") to " + attack.describe());
        sent++;
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sent++;
      int status = response.statusCode();
      byStatus.merge(status / 100 + "xx", 1, Integer::sum);
      String body = response.body() == null ? "" : response.body();
      if (status >= 500) {
        failures.add(status + " for " + attack.describe() + " → " + abbreviate(body));
      }
      boolean asForeign =
          attack.authorization() != null && attack.authorization().contains(foreign.adminKey());
      if (!asForeign && body.toLowerCase(Locale.ROOT).contains(FOREIGN_MARK)) {
        failures.add("foreign data in the answer to " + attack.describe());
      }
      for (String internal : INTERNALS) {
        if (status >= 400 && body.contains(internal)) {
          failures.add("internals (" + internal + ") in the answer to " + attack.describe());
        }
      }
      if (status >= 400 && attack.mutating()) {
        refused++;
        String after = fingerprint();
        if (!after.equals(before)) {
          failures.add(
              "refused ("
                  + status
                  + ") but wrote: "
                  + attack.describe()
                  + "\n  before "
                  + before
                  + "\n  after  "
                  + after);
        }
      }
    }
    List<String> headerBreaks =
        jdbc.sql(
                """
                select 'campaign ' || id from campaigns
                 where sender_name ~ '[\\r\\n]' or sender_email ~ '[\\r\\n]'
                    or sender_reply_to ~ '[\\r\\n]' or name ~ '[\\r\\n]'
                union all
                select 'step of ' || campaign_id from campaign_steps where subject ~ '[\\r\\n]'
                union all
                select 'lead ' || id from leads
                 where email ~ '[\\r\\n]' or first_name ~ '[\\r\\n]' or last_name ~ '[\\r\\n]'
                    or company ~ '[\\r\\n]' or title ~ '[\\r\\n]'
                """)
            .query(String.class)
            .list();
    System.out.printf(
        "GeneratedHostileInputTest: %d requests, %d refused writes, answers %s, %d failures%n",
        sent, refused, byStatus, failures.size());
    failures.stream().limit(40).forEach(f -> System.out.println("  " + f));
    assertThat(failures).as("seed " + seed).isEmpty();
    assertThat(headerBreaks).as("line breaks stored where they become mail headers").isEmpty();
  }

  private static final List<String> INTERNALS =
      List.of(
          "Exception",
          "tools.jackson",
          "com.fasterxml",
          "org.springframework",
          "org.postgresql",
          "at dev.sequencer",
          "FAIL_ON",
          "java.lang",
          "SQLState",
          "JsonReadFeature",
          "StreamReadFeature",
          "ALLOW_");

  private static HttpRequest request(Attack attack) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(service.baseUrl + attack.path()))
            .timeout(Duration.ofSeconds(30));
    if (attack.authorization() != null) {
      builder.header("Authorization", attack.authorization());
    }
    if (attack.contentType() != null && attack.body() != null) {
      builder.header("Content-Type", attack.contentType());
    }
    attack.headers().forEach(builder::header);
    builder.method(
        attack.method(),
        attack.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(attack.body()));
    return builder.build();
  }

  /** Every route, public ones included, with a valid request and the values it may vary. */
  private static List<Route> routes() {
    Body none = new Body(BodyKind.NONE, null);
    Body empty = new Body(BodyKind.JSON, "{}");
    return List.of(
        new Route("GET", "/api/v1/campaigns", none),
        new Route("POST", "/api/v1/campaigns", json(CAMPAIGN)),
        new Route("GET", "/api/v1/campaigns/{draft}", none),
        new Route(
            "PATCH",
            "/api/v1/campaigns/{draft}",
            json(
                "{\"name\": «\"Renamed\"», \"sender\": {\"email\": «\"{sender}\"», \"name\":"
                    + " «\"Ada\"»}, \"limits\": {\"daily_limit\": «50»}, \"steps\": [{\"type\":"
                    + " «\"hook\"», \"day\": «0», \"subject\": «\"Subject\"», \"body\":"
                    + " «\"Body\"»}]}")),
        new Route("POST", "/api/v1/campaigns/{draft}/clone", json("{\"name\": «\"Copy\"»}")),
        new Route(
            "POST",
            "/api/v1/campaigns/{cancelled}/start",
            json("{\"start_at\": «\"2027-01-04T09:00:00Z\"»}")),
        new Route(
            "POST",
            "/api/v1/campaigns/{draft}/simulate",
            json(
                "{\"reply_rate\": «0.05», \"opt_out_rate\": «0.01», \"bounce_rate\": «0»,"
                    + " \"sample\": «20», \"seed\": «3», \"variant_reply_rates\": {\"A\": «0.1»},"
                    + " \"start_at\": «null»}")),
        new Route("GET", "/api/v1/campaigns/{draft}/metrics", none),
        new Route("GET", "/api/v1/campaigns/{draft}/leads", none),
        new Route("POST", "/api/v1/campaigns/{draft}/leads", json(LEADS)),
        new Route(
            "POST",
            "/api/v1/campaigns/{draft}/leads",
            new Body(BodyKind.CSV, "lead_id,email,first_name\nc-1,c1@example.com,Ada\n")),
        new Route("GET", "/api/v1/campaigns/{draft}/leads/{lead}", none),
        new Route(
            "POST",
            "/api/v1/campaigns/{draft}/preview",
            json(
                "{\"lead\": {\"email\": «\"p@example.com\"», \"first_name\": «\"Ada\"»,"
                    + " \"attributes\": {\"city\": «\"Paris\"»}}, \"variant\": «null»}")),
        new Route("POST", "/api/v1/campaigns/{controlled}/pause", empty),
        new Route("POST", "/api/v1/campaigns/{controlled}/resume", empty),
        new Route("POST", "/api/v1/campaigns/{controlled}/cancel", empty),
        new Route("POST", "/api/v1/campaigns/{draft}/leads/{lead}/pause", empty),
        new Route("POST", "/api/v1/campaigns/{draft}/leads/{lead}/resume", empty),
        new Route(
            "POST",
            "/api/v1/opt-outs",
            json("{\"email\": «\"o@example.com\"», \"reason\": «\"asked\"»}")),
        new Route(
            "DELETE",
            "/api/v1/opt-outs",
            json("{\"phone\": «\"+14155550177\"», \"reason\": «\"asked\"»}")),
        new Route(
            "POST",
            "/api/v1/replies",
            json(
                "{\"channel\": «\"email\"», \"from\": «\"g1@example.com\"», \"subject\": «\"Re\"»,"
                    + " \"body\": «\"Interested\"», \"in_reply_to\": «\"<x@y.test>\"»,"
                    + " \"received_at\": «\"2026-11-30T10:00:00Z\"»}")),
        new Route(
            "POST",
            "/api/v1/conversions",
            json(
                "{\"campaign_id\": «\"{draft}\"», \"lead_id\": «\"{lead}\"», \"event\": «\"demo\"»,"
                    + " \"value\": «10.5», \"occurred_at\": «\"2026-11-30T10:00:00Z\"»}")),
        new Route(
            "POST",
            "/api/v1/organizations",
            json("{\"name\": «\"New org\"»}"),
            RunningService.ADMIN_KEY),
        new Route("GET", "/api/v1/keys", none),
        new Route("POST", "/api/v1/keys", json("{\"name\": «\"k\"», \"role\": «\"read_only\"»}")),
        new Route("DELETE", "/api/v1/keys/{key}", none),
        new Route("GET", "/api/v1/audit", none),
        new Route("GET", "/api/v1/senders", none),
        new Route(
            "POST",
            "/api/v1/senders",
            json("{\"channel\": «\"sms\"», \"phone\": «\"+14155550150\"», \"name\": «\"Desk\"»}")),
        new Route("GET", "/api/v1/senders/{senderId}", none),
        new Route("DELETE", "/api/v1/senders/{senderId}", none),
        new Route("GET", "/api/v1/suppressions", none),
        new Route("GET", "/api/v1/suppressions/audit", none),
        new Route("GET", "/api/v1/suppressions/export", none),
        new Route("GET", "/api/v1/campaigns/{draft}/leads/{lead}/history", none),
        new Route("POST", "/webhooks/twilio/sms", new Body(BodyKind.TWILIO_FORM, null)),
        new Route("POST", "/webhooks/twilio/status", new Body(BodyKind.TWILIO_FORM, null)),
        new Route("GET", "/unsubscribe/{token}", none),
        new Route(
            "POST", "/unsubscribe/{token}", new Body(BodyKind.CSV, "List-Unsubscribe=One-Click")),
        new Route("GET", "/t/o/{token}", none),
        new Route("GET", "/t/c/{token}", none),
        new Route("GET", "/healthz", none));
  }

  private static Body json(String template) {
    return new Body(BodyKind.JSON, template);
  }

  private static final String CAMPAIGN =
      """
      {"name": «"Hostile"», "channel": «"email"»,
       "sender": {"email": «"{sender}"», "name": «"Ada"», "reply_to": «null»},
       "steps": [{"type": «"hook"», "day": «0», "subject": «"Hi {{first_name|there}}"»,
                  "body": «"Body for {{company|you}}"»},
                 {"type": «"proof"», "day": «3», "subject": «"Proof"», "body": «"Proof"»}],
       "variants": «[]», "holdout_percentage": «0»,
       "schedule": {"timezone": «"UTC"», "send_window": {"start": «"09:00"», "end": «"17:00"»},
                    "business_days": «["MON","TUE"]», "holiday_calendar": «null»,
                    "blackout_dates": «[]», "recurrence": «null»},
       "limits": {"daily_limit": «100», "per_minute": «10», "frequency_cap_days": «null»},
       "attribution_window_days": «7», "stop_on_reply": «true», "stop_scope": «"lead"»,
       "track_links": «true»,
       "auto_winner": {"enabled": «false», "metric": «"reply_rate"», "confidence": «0.95»,
                       "min_sample": «100»},
       "template_attributes": «["city"]»}
      """;

  private static final String LEADS =
      """
      [{"lead_id": «"g-1"», "email": «"g1@example.com"», "first_name": «"Ada"»,
        "last_name": «"Lovelace"», "company": «"Acme"», "title": «"CTO"», "phone": «null»,
        "timezone": «"Europe/Paris"», "attributes": {"city": «"Paris"», "size": «12»}}]
      """;

  /** The organization's things the valid requests name. Nothing is started: no background work. */
  private static Map<String, String> ownThings(RunningService.Organization org) {
    String sender = "hostile-own@hostile-own.test";
    String draft = campaign(org, sender, "Draft");
    String controlled = campaign(org, sender, "Controlled");
    String cancelled = campaign(org, sender, "Cancelled");
    assertThat(
            service
                .call("POST", "/api/v1/campaigns/" + cancelled + "/cancel", org.adminKey(), "{}")
                .status())
        .isEqualTo(202);
    var lead =
        service.call(
            "POST",
            "/api/v1/campaigns/" + draft + "/leads",
            org.adminKey(),
            "[{\"lead_id\": \"own-1\", \"email\": \"own1@example.com\", \"attributes\":"
                + " {\"city\": \"Paris\"}}]");
    assertThat(lead.json().get("accepted").asInt()).as(lead.body()).isEqualTo(1);
    var key =
        service.call(
            "POST",
            "/api/v1/keys",
            org.adminKey(),
            "{\"name\": \"spare\", \"role\": \"read_only\"}");
    var senderId =
        service.call(
            "POST",
            "/api/v1/senders",
            org.adminKey(),
            "{\"channel\": \"sms\", \"phone\": \"+14155550160\"}");
    assertThat(senderId.status()).as(senderId.body()).isEqualTo(201);
    return Map.of(
        "draft",
        draft,
        "controlled",
        controlled,
        "cancelled",
        cancelled,
        "lead",
        "own-1",
        "key",
        key.json().get("key_id").asString(),
        "senderId",
        senderId.json().get("sender_id").asString(),
        "sender",
        sender,
        "token",
        "garbage");
  }

  /** Another organization's things, marked so that any answer showing them is caught. */
  private static List<String> foreignThings(RunningService.Organization org) {
    String campaign = campaign(org, FOREIGN_MARK + "@foreign-org.test", FOREIGN_MARK);
    service.call(
        "POST",
        "/api/v1/campaigns/" + campaign + "/leads",
        org.adminKey(),
        "[{\"lead_id\": \"foreign-1\", \"email\": \""
            + FOREIGN_MARK
            + "@people.test\", \"first_name\": \""
            + FOREIGN_MARK
            + "\", \"attributes\": {\"city\": \"Paris\"}}]");
    var key =
        service.call(
            "POST", "/api/v1/keys", org.adminKey(), "{\"name\": \"" + FOREIGN_MARK + "\"}");
    var sender =
        service.call(
            "POST",
            "/api/v1/senders",
            org.adminKey(),
            "{\"channel\": \"email\", \"email\": \"" + FOREIGN_MARK + "-2@foreign-org.test\"}");
    List<String> ids = new ArrayList<>(List.of(campaign, "foreign-1"));
    if (key.status() == 201) {
      ids.add(key.json().get("key_id").asString());
    }
    ids.add(sender.json().get("sender_id").asString());
    return ids;
  }

  private static String campaign(RunningService.Organization org, String sender, String name) {
    var created =
        service.call(
            "POST",
            "/api/v1/campaigns",
            org.adminKey(),
            HostileRequests.stripSlots(CAMPAIGN)
                .replace("{sender}", sender)
                .replace("\"Hostile\"", "\"" + name + "\""));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("campaign_id").asString();
  }

  /**
   * Every row a request could write, across organizations; the audit log is left out, since it
   * records refused calls by design.
   */
  private static String fingerprint() {
    return jdbc.sql(
            """
            select concat_ws('|',
              (select count(*) from organizations),
              (select count(*) || '/' || count(revoked_at) from api_keys),
              (select count(*) || '/' || coalesce(sum(revision), 0) || '/'
                      || coalesce(string_agg(status, ',' order by id), '') from campaigns),
              (select count(*) from campaign_steps),
              (select count(*) || '/' || coalesce(string_agg(status, ',' order by id), '')
                 from leads),
              (select count(*) from suppressions),
              (select count(*) from suppression_audit),
              (select count(*) from senders),
              (select count(*) from conversions),
              (select count(*) from lead_events),
              (select count(*) from messages),
              (select count(*) from inbound_messages))
            """)
        .query(String.class)
        .single();
  }

  private static String abbreviate(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }
}
