package dev.sequencer.app;

import static dev.sequencer.app.CampaignApiTest.assertInvalid;
import static dev.sequencer.app.CampaignApiTest.fields;
import static dev.sequencer.app.SenderOwnershipTest.assertUnprocessable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.sender.SecretBox;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The sender registry's contract (API.md, "Senders"): settings registered, shown without secrets
 * and stored sealed; bad settings refused naming the field; PATCH as a merge; pause and resume by
 * role; campaign pools and auto-pause.
 */
class SenderApiTest {

  private static final AtomicInteger UNIQUE =
      new AtomicInteger(ThreadLocalRandom.current().nextInt(1_000));
  private static final KeyPair DKIM = rsaKeyPair();
  private static final String PRIVATE_KEY_BASE64 =
      Base64.getEncoder().encodeToString(DKIM.getPrivate().getEncoded());
  private static final String PRIVATE_KEY_PEM =
      "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(DKIM.getPrivate().getEncoded())
          + "\n-----END PRIVATE KEY-----\n";
  private static final String SMTP_PASSWORD = "smtp-pa55-Zq7wXv";
  private static final String IMAP_PASSWORD = "imap-pa55-Kj3mNb";

  private final RunningService service = RunningService.get();
  private final JdbcClient jdbc = service.bean(JdbcClient.class);

  @Test
  void aSenderIsRegisteredWithAllItsSettingsAndShownWithoutSecrets() {
    RunningService.Organization org = service.newOrganization("Full sender");
    String domain = domain();
    String email = "ada@" + domain;
    LocalDate before = LocalDate.now(ZoneId.of("Europe/Berlin"));

    var created = register(org, fullSender(email, domain, "Europe/Berlin"));

    LocalDate after = LocalDate.now(ZoneId.of("Europe/Berlin"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode view = created.json();
    String id = view.get("sender_id").asString();
    assertThat(id).startsWith("snd_");
    assertThat(view.get("status").asString()).isEqualTo("active");
    assertThat(view.get("pause_reason").isNull()).isTrue();
    assertThat(view.get("channel").asString()).isEqualTo("email");
    assertThat(view.get("email").asString()).isEqualTo(email);
    assertThat(view.get("name").asString()).isEqualTo("Ada Lovelace");
    assertThat(view.get("daily_limit").asInt()).isEqualTo(50);
    assertThat(view.get("ramp").get("start").asInt()).isEqualTo(10);
    assertThat(view.get("ramp").get("increase_per_day").asInt()).isEqualTo(5);
    assertThat(LocalDate.parse(view.get("ramp").get("from").asString())).isBetween(before, after);
    assertThat(view.get("limit_today").asInt()).isEqualTo(10);
    assertThat(view.get("sent_today").asInt()).isZero();
    assertThat(view.get("min_spacing_seconds").asInt()).isEqualTo(120);
    assertThat(view.get("timezone").asString()).isEqualTo("Europe/Berlin");
    // Whole objects: a password or key field would make them unequal.
    assertThat(view.get("smtp"))
        .isEqualTo(
            json(
                "{\"host\": \"smtp.%s\", \"port\": 587, \"username\": \"%s\", \"starttls\": true}"
                    .formatted(domain, email)));
    assertThat(view.get("imap"))
        .isEqualTo(
            json(
                "{\"host\": \"127.0.0.1\", \"port\": 1, \"username\": \"%s\", \"ssl\": true}"
                    .formatted(email)));
    assertThat(view.get("dkim"))
        .isEqualTo(
            json(
                "{\"domain\": \"%s\", \"selector\": \"s1\", \"dns_name\": \"s1._domainkey.%s\","
                        .formatted(domain, domain)
                    + " \"dns_value\": \""
                    + expectedDkimRecord()
                    + "\"}"));

    assertNoSecrets(created.body());
    var fetched = service.call("GET", "/api/v1/senders/" + id, org.adminKey(), null);
    assertThat(fetched.status()).isEqualTo(200);
    assertThat(fetched.json()).isEqualTo(view);
    assertNoSecrets(fetched.body());
    var listed = service.call("GET", "/api/v1/senders", org.adminKey(), null);
    assertThat(listed.json().get("total").asLong()).isEqualTo(1);
    assertThat(listed.json().get("senders").get(0)).isEqualTo(view);
    assertNoSecrets(listed.body());
  }

  @Test
  void theRampStartsOnTheRegistrationDayOfTheSendersOwnZone() {
    RunningService.Organization org = service.newOrganization("Ramp zones");
    // A day ahead of UTC and a day behind it: at any instant one of them has another date.
    for (String zone : List.of("Pacific/Kiritimati", "Pacific/Pago_Pago")) {
      LocalDate before = LocalDate.now(ZoneId.of(zone));
      var created =
          register(
              org,
              """
              {"channel": "email", "email": "%s", "daily_limit": 30,
               "ramp": {"start": 10, "increase_per_day": 5}, "timezone": "%s"}
              """
                  .formatted("ramp@" + domain(), zone));
      LocalDate after = LocalDate.now(ZoneId.of(zone));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      assertThat(LocalDate.parse(created.json().get("ramp").get("from").asString()))
          .as(zone)
          .isBetween(before, after);
      assertThat(created.json().get("limit_today").asInt()).as(zone).isEqualTo(10);

      // A ramp changed with the zone restarts on today of the new zone.
      String moved =
          registered(
              org,
              "{\"channel\": \"email\", \"email\": \"moved@"
                  + domain()
                  + "\", \"daily_limit\": 30}");
      var patched =
          service.call(
              "PATCH",
              "/api/v1/senders/" + moved,
              org.adminKey(),
              "{\"timezone\": \"" + zone + "\", \"ramp\": {\"start\": 5}}");
      assertThat(patched.status()).as(patched.body()).isEqualTo(200);
      assertThat(LocalDate.parse(patched.json().get("ramp").get("from").asString()))
          .as(zone)
          .isBetween(before, LocalDate.now(ZoneId.of(zone)));
      assertThat(patched.json().get("limit_today").asInt()).as(zone).isEqualTo(5);
    }
  }

  @Test
  void secretsAreSealedAtRest() {
    RunningService.Organization org = service.newOrganization("Sealed");
    String domain = domain();
    var created = register(org, fullSender("seal@" + domain, domain, "UTC"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    Map<String, Object> row = sealedColumns(created.json().get("sender_id").asString());

    SecretBox box = service.bean(SecretBox.class);
    assertThat(row.get("smtp_password_sealed")).asString().startsWith("v1:");
    assertThat(row.get("smtp_password_sealed")).asString().doesNotContain(SMTP_PASSWORD);
    assertThat(box.open((String) row.get("smtp_password_sealed"))).isEqualTo(SMTP_PASSWORD);
    assertThat(row.get("imap_password_sealed")).asString().startsWith("v1:");
    assertThat(row.get("imap_password_sealed")).asString().doesNotContain(IMAP_PASSWORD);
    assertThat(box.open((String) row.get("imap_password_sealed"))).isEqualTo(IMAP_PASSWORD);
    assertThat(row.get("dkim_key_sealed")).asString().startsWith("v1:");
    assertThat(row.get("dkim_key_sealed")).asString().doesNotContain("PRIVATE KEY");
    assertNoPrivateKeyPart((String) row.get("dkim_key_sealed"));
    assertThat(box.open((String) row.get("dkim_key_sealed"))).isEqualTo(PRIVATE_KEY_PEM);
  }

  @Test
  void eachBadSettingIsRefusedNamingItsFieldAndCreatesNothing() {
    RunningService.Organization org = service.newOrganization("Bad settings");
    String domain = domain();
    String smtp = "\"smtp\": {\"host\": \"smtp." + domain + "\", \"port\": %s}";
    String garbage = "c2VjcmV0LWtleS1tYXRlcmlhbC1ub3QtYS1rZXk";
    String[][] cases = {
      {"\"daily_limit\": 0", "daily_limit"},
      {"\"daily_limit\": 2000000", "daily_limit"},
      {"\"ramp\": {\"start\": 10, \"increase_per_day\": 5}", "ramp"},
      {"\"daily_limit\": 50, \"ramp\": {\"increase_per_day\": 5}", "ramp.start"},
      {"\"min_spacing_seconds\": -1", "min_spacing_seconds"},
      {"\"timezone\": \"Mars/Olympus\"", "timezone"},
      {"\"smtp\": {\"port\": 587}", "smtp.host"},
      {smtp.formatted("70000"), "smtp.port"},
      {"\"smtp\": {\"host\": \"smtp." + domain + "\", \"username\": \"ada\"}", "smtp.password"},
      {"\"imap\": {\"host\": \"imap." + domain + "\", \"password\": \"p\"}", "imap.username"},
      {
        dkim(
            domain,
            "s1",
            "-----BEGIN PRIVATE KEY-----\\n" + garbage + "\\n-----END PRIVATE KEY-----"),
        "dkim.private_key_pem"
      },
      {dkim("other.test", "s1", PRIVATE_KEY_PEM.replace("\n", "\\n")), "dkim.domain"},
      {dkim(domain, "bad selector", PRIVATE_KEY_PEM.replace("\n", "\\n")), "dkim.selector"},
      {"\"colour\": \"red\"", "colour"},
      {
        "\"smtp\": {\"host\": \"smtp." + domain + "\", \"username\": \"ada\", \"pasword\": \"x\"}",
        "smtp.pasword"
      },
    };
    for (String[] c : cases) {
      String body =
          "{\"channel\": \"email\", \"email\": \"bad"
              + UNIQUE.incrementAndGet()
              + "@"
              + domain
              + "\", "
              + c[0]
              + "}";
      var response = register(org, body);
      assertInvalid(response, c[1]);
      assertThat(fields(response.json())).as(body).containsExactly(c[1]);
      assertThat(response.body()).doesNotContain(garbage);
    }
    String sms =
        "{\"channel\": \"sms\", \"phone\": \"" + phone() + "\", " + smtp.formatted("587") + "}";
    var smtpOnSms = register(org, sms);
    assertInvalid(smtpOnSms, "smtp");
    assertThat(fields(smtpOnSms.json())).containsExactly("smtp");

    assertThat(senderCount(org)).isZero();
  }

  @Test
  void aPatchMergesTheNamedPartsAndKeepsTheStoredSecrets() {
    RunningService.Organization org = service.newOrganization("Patch");
    String domain = domain();
    String email = "patch@" + domain;
    var created = register(org, fullSender(email, domain, "UTC"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().get("sender_id").asString();
    String path = "/api/v1/senders/" + id;

    var limit = service.call("PATCH", path, org.adminKey(), "{\"daily_limit\": 80}");
    assertThat(limit.status()).as(limit.body()).isEqualTo(200);
    assertThat(limit.json().get("daily_limit").asInt()).isEqualTo(80);
    assertThat(limit.json().get("ramp")).isEqualTo(created.json().get("ramp"));
    assertThat(limit.json().get("smtp")).isEqualTo(created.json().get("smtp"));
    assertThat(limit.json().get("dkim")).isEqualTo(created.json().get("dkim"));

    var smtp =
        service.call(
            "PATCH",
            path,
            org.adminKey(),
            """
            {"smtp": {"host": "smtp2.%s", "port": 465, "username": "%s", "starttls": false}}
            """
                .formatted(domain, email));
    assertThat(smtp.status()).as(smtp.body()).isEqualTo(200);
    assertThat(smtp.json().get("smtp").get("host").asString()).isEqualTo("smtp2." + domain);
    assertThat(smtp.json().get("smtp").get("port").asInt()).isEqualTo(465);
    assertThat(smtp.json().get("smtp").get("starttls").asBoolean()).isFalse();
    assertThat(smtp.json().get("smtp").has("password")).isFalse();
    assertNoSecrets(smtp.body());
    Map<String, Object> sealed = sealedColumns(id);
    assertThat(sealed.get("smtp_password_sealed")).asString().startsWith("v1:");
    SecretBox box = service.bean(SecretBox.class);
    assertThat(box.open((String) sealed.get("smtp_password_sealed"))).isEqualTo(SMTP_PASSWORD);
    assertThat(box.open((String) sealed.get("imap_password_sealed"))).isEqualTo(IMAP_PASSWORD);

    var noDkim = service.call("PATCH", path, org.adminKey(), "{\"dkim\": null}");
    assertThat(noDkim.status()).as(noDkim.body()).isEqualTo(200);
    assertThat(noDkim.json().get("dkim").isNull()).isTrue();
    assertThat(noDkim.json().get("smtp").get("host").asString()).isEqualTo("smtp2." + domain);
    assertThat(sealedColumns(id).get("dkim_key_sealed")).isNull();

    JsonNode beforeRefusals = get(org, id);
    var address = service.call("PATCH", path, org.adminKey(), "{\"email\": \"x@y.test\"}");
    assertInvalid(address, "email");
    var badLimit = service.call("PATCH", path, org.adminKey(), "{\"daily_limit\": 0}");
    assertInvalid(badLimit, "daily_limit");
    var badSmtp =
        service.call(
            "PATCH",
            path,
            org.adminKey(),
            "{\"smtp\": {\"host\": \"smtp." + domain + "\", \"password\": \"new\"}}");
    assertInvalid(badSmtp, "smtp.username");
    assertThat(get(org, id)).isEqualTo(beforeRefusals);
    assertThat(box.open((String) sealedColumns(id).get("smtp_password_sealed")))
        .isEqualTo(SMTP_PASSWORD);

    RunningService.Organization other = service.newOrganization("Patch stranger");
    var foreign = service.call("PATCH", path, other.adminKey(), "{\"daily_limit\": 1}");
    assertThat(foreign.status()).as(foreign.body()).isEqualTo(404);
    assertThat(get(org, id)).isEqualTo(beforeRefusals);
  }

  @Test
  void aChangedRampRestartsFromTodayAndAnUnchangedOneKeepsItsFirstDay() {
    RunningService.Organization org = service.newOrganization("Ramp restart");
    var created =
        register(
            org,
            """
            {"channel": "email", "email": "%s", "daily_limit": 30,
             "ramp": {"start": 10, "increase_per_day": 5}}
            """
                .formatted("restart@" + domain()));
    String id = created.json().get("sender_id").asString();
    LocalDate today = LocalDate.parse(created.json().get("ramp").get("from").asString());
    // Registered four days ago: day 5 of the ramp, 10 + 4 × 5 = 30, the limit.
    jdbc.sql("update senders set ramp_from = ? where id = ?")
        .params(today.minusDays(4), id)
        .update();
    JsonNode dayFive = get(org, id);
    assertThat(dayFive.get("limit_today").asInt()).isEqualTo(30);
    jdbc.sql("update senders set ramp_from = ? where id = ?")
        .params(today.minusDays(2), id)
        .update();
    assertThat(get(org, id).get("limit_today").asInt()).isEqualTo(20);

    String path = "/api/v1/senders/" + id;
    var same =
        service.call(
            "PATCH", path, org.adminKey(), "{\"ramp\": {\"start\": 10, \"increase_per_day\": 5}}");
    assertThat(same.status()).as(same.body()).isEqualTo(200);
    assertThat(same.json().get("ramp").get("from").asString())
        .isEqualTo(today.minusDays(2).toString());
    assertThat(same.json().get("limit_today").asInt()).isEqualTo(20);

    var changed =
        service.call(
            "PATCH", path, org.adminKey(), "{\"ramp\": {\"start\": 15, \"increase_per_day\": 5}}");
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertThat(changed.json().get("ramp").get("from").asString()).isEqualTo(today.toString());
    assertThat(changed.json().get("limit_today").asInt()).isEqualTo(15);

    var removed = service.call("PATCH", path, org.adminKey(), "{\"ramp\": null}");
    assertThat(removed.json().get("ramp").isNull()).isTrue();
    assertThat(removed.json().get("limit_today").asInt()).isEqualTo(30);
  }

  @Test
  void aPersonPausesAndResumesASenderWithTheControlPermission() {
    RunningService.Organization org = service.newOrganization("Pause senders");
    String operator = service.newKey(org.adminKey(), "operator");
    String readOnly = service.newKey(org.adminKey(), "read_only");
    var created = register(org, "{\"channel\": \"sms\", \"phone\": \"" + phone() + "\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String path = "/api/v1/senders/" + created.json().get("sender_id").asString();

    var refused = service.call("POST", path + "/pause", readOnly, "{\"reason\": \"nope\"}");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().get("permission").asString()).isEqualTo("control");
    assertThat(service.call("GET", path, readOnly, null).json().get("status").asString())
        .isEqualTo("active");

    var paused =
        service.call("POST", path + "/pause", operator, "{\"reason\": \"warming up too fast\"}");
    assertThat(paused.status()).as(paused.body()).isEqualTo(200);
    assertThat(paused.json().get("status").asString()).isEqualTo("paused");
    assertThat(paused.json().get("pause_reason").asString()).isEqualTo("warming up too fast");
    assertThat(service.call("GET", path, readOnly, null).json().get("status").asString())
        .isEqualTo("paused");

    assertThat(service.call("POST", path + "/resume", readOnly, null).status()).isEqualTo(403);
    var resumed = service.call("POST", path + "/resume", operator, null);
    assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
    assertThat(resumed.json().get("status").asString()).isEqualTo("active");
    assertThat(resumed.json().get("pause_reason").isNull()).isTrue();

    var withoutReason = service.call("POST", path + "/pause", org.adminKey(), null);
    assertThat(withoutReason.status()).as(withoutReason.body()).isEqualTo(200);
    assertThat(withoutReason.json().get("status").asString()).isEqualTo("paused");
    assertThat(withoutReason.json().get("pause_reason").asString()).isNotBlank();
    var badReason =
        service.call("POST", path + "/pause", org.adminKey(), "{\"reason\": \"a\\nb\"}");
    assertInvalid(badReason, "reason");
  }

  @Test
  void aCampaignSendsFromAPoolOfItsOrganizationsSenders() {
    RunningService.Organization org = service.newOrganization("Pools");
    String domain = domain();
    String first =
        registered(
            org,
            "{\"channel\": \"email\", \"email\": \"one@" + domain + "\", \"name\": \"Ada One\"}");
    String second = registered(org, "{\"channel\": \"email\", \"email\": \"two@" + domain + "\"}");
    String sms = registered(org, "{\"channel\": \"sms\", \"phone\": \"" + phone() + "\"}");
    RunningService.Organization other = service.newOrganization("Pools stranger");
    String foreign =
        registered(other, "{\"channel\": \"email\", \"email\": \"foreign@" + domain() + "\"}");

    var pool =
        createCampaign(
            org,
            "\"senders\": [\"%s\", \"%s\"], \"sender\": {\"name\": \"Team\"}"
                .formatted(first, second));
    assertThat(pool.status()).as(pool.body()).isEqualTo(201);
    assertThat(pool.json().get("senders").toString())
        .isEqualTo("[\"" + first + "\",\"" + second + "\"]");
    assertThat(pool.json().get("sender").get("email").asString()).isEqualTo("one@" + domain);
    assertThat(pool.json().get("sender").get("name").asString()).isEqualTo("Team");
    var named = createCampaign(org, "\"senders\": [\"%s\"]".formatted(first));
    assertThat(named.status()).as(named.body()).isEqualTo(201);
    assertThat(named.json().get("sender").get("name").asString()).isEqualTo("Ada One");
    long campaigns = campaignCount(org);

    assertUnprocessable(createCampaign(org, "\"senders\": [\"snd_unknown42\"]"), "senders[0]");
    assertUnprocessable(
        createCampaign(org, "\"senders\": [\"%s\"]".formatted(foreign)), "senders[0]");
    assertUnprocessable(
        createCampaign(org, "\"senders\": [\"%s\", \"%s\"]".formatted(first, sms)), "senders[1]");
    assertInvalid(createCampaign(org, "\"senders\": [\"not an id\"]"), "senders[0]");
    assertInvalid(
        createCampaign(org, "\"senders\": [\"%s\", \"%s\"]".formatted(first, first)), "senders[1]");
    assertThat(campaignCount(org)).isEqualTo(campaigns);

    var inUse = service.call("DELETE", "/api/v1/senders/" + second, org.adminKey(), null);
    assertThat(inUse.status()).as(inUse.body()).isEqualTo(409);
    assertThat(inUse.body()).contains(pool.json().get("campaign_id").asString());
    assertThat(service.call("GET", "/api/v1/senders/" + second, org.adminKey(), null).status())
        .isEqualTo(200);
    assertThat(service.call("DELETE", "/api/v1/senders/" + sms, org.adminKey(), null).status())
        .isEqualTo(204);
  }

  @Test
  void autoPauseHasDefaultsCanBeSetAndCanBeTurnedOff() {
    RunningService.Organization org = service.newOrganization("Auto-pause");
    String sender = "\"sender\": {\"email\": \"auto@" + domain() + "\"}";

    var defaults = createCampaign(org, sender);
    assertThat(defaults.status()).as(defaults.body()).isEqualTo(201);
    JsonNode autoPause = defaults.json().get("auto_pause");
    assertThat(autoPause.get("bounce_rate").asDouble()).isEqualTo(0.02);
    assertThat(autoPause.get("complaint_rate").asDouble()).isEqualTo(0.001);
    assertThat(autoPause.get("min_sent").asInt()).isEqualTo(20);
    assertThat(defaults.json().get("pause_reason").isNull()).isTrue();

    var off = createCampaign(org, sender + ", \"auto_pause\": null");
    assertThat(off.status()).as(off.body()).isEqualTo(201);
    assertThat(off.json().get("auto_pause").isNull()).isTrue();
    var disabled = createCampaign(org, sender + ", \"auto_pause\": {\"enabled\": false}");
    assertThat(disabled.json().get("auto_pause").isNull()).isTrue();

    var custom =
        createCampaign(
            org,
            sender
                + ", \"auto_pause\": {\"bounce_rate\": 0.05, \"complaint_rate\": 0.003,"
                + " \"min_sent\": 50}");
    assertThat(custom.status()).as(custom.body()).isEqualTo(201);
    assertThat(custom.json().get("auto_pause").get("bounce_rate").asDouble()).isEqualTo(0.05);
    assertThat(custom.json().get("auto_pause").get("complaint_rate").asDouble()).isEqualTo(0.003);
    assertThat(custom.json().get("auto_pause").get("min_sent").asInt()).isEqualTo(50);

    long campaigns = campaignCount(org);
    assertInvalid(
        createCampaign(org, sender + ", \"auto_pause\": {\"bounce_rate\": 1.5}"),
        "auto_pause.bounce_rate");
    assertThat(campaignCount(org)).isEqualTo(campaigns);

    String path = "/api/v1/campaigns/" + defaults.json().get("campaign_id").asString();
    var turnedOff = service.call("PATCH", path, org.adminKey(), "{\"auto_pause\": null}");
    assertThat(turnedOff.status()).as(turnedOff.body()).isEqualTo(200);
    assertThat(turnedOff.json().get("auto_pause").isNull()).isTrue();
    var renamed = service.call("PATCH", path, org.adminKey(), "{\"name\": \"Renamed\"}");
    assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
    assertThat(renamed.json().get("name").asString()).isEqualTo("Renamed");
    assertThat(renamed.json().get("auto_pause").isNull()).isTrue();
    assertThat(service.call("GET", path, org.adminKey(), null).json().get("auto_pause").isNull())
        .isTrue();
  }

  private JsonNode json(String text) {
    return service.json.readTree(text);
  }

  private RunningService.Response register(RunningService.Organization org, String body) {
    return service.call("POST", "/api/v1/senders", org.adminKey(), body);
  }

  /** Registers a sender and returns its id. */
  private String registered(RunningService.Organization org, String body) {
    var created = register(org, body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("sender_id").asString();
  }

  private JsonNode get(RunningService.Organization org, String senderId) {
    var found = service.call("GET", "/api/v1/senders/" + senderId, org.adminKey(), null);
    assertThat(found.status()).as(found.body()).isEqualTo(200);
    return found.json();
  }

  private RunningService.Response createCampaign(RunningService.Organization org, String parts) {
    return service.call(
        "POST",
        "/api/v1/campaigns",
        org.adminKey(),
        "{\"name\": \"Pool\", \"channel\": \"email\", " + parts + "}");
  }

  private long senderCount(RunningService.Organization org) {
    return total(org, "/api/v1/senders");
  }

  private long campaignCount(RunningService.Organization org) {
    return total(org, "/api/v1/campaigns");
  }

  /** The {@code total} of a list. */
  private long total(RunningService.Organization org, String list) {
    return service.call("GET", list, org.adminKey(), null).json().get("total").asLong();
  }

  private Map<String, Object> sealedColumns(String senderId) {
    return jdbc.sql(
            "select smtp_password_sealed, imap_password_sealed, dkim_key_sealed from senders"
                + " where id = ?")
        .param(senderId)
        .query()
        .singleRow();
  }

  /**
   * Every setting. The shared service's poller reads each sender's own mailbox from now on, so the
   * IMAP server is a closed local port, which fails at once, rather than a name DNS may take long
   * to refuse.
   */
  private static String fullSender(String email, String domain, String zone) {
    return """
        {"channel": "email", "email": "%1$s", "name": "Ada Lovelace", "daily_limit": 50,
         "ramp": {"start": 10, "increase_per_day": 5}, "min_spacing_seconds": 120,
         "timezone": "%3$s",
         "smtp": {"host": "smtp.%2$s", "port": 587, "username": "%1$s",
                  "password": "%4$s", "starttls": true},
         "imap": {"host": "127.0.0.1", "port": 1, "username": "%1$s",
                  "password": "%5$s", "ssl": true},
         "dkim": {"domain": "%2$s", "selector": "s1", "private_key_pem": "%6$s"}}
        """
        .formatted(
            email,
            domain,
            zone,
            SMTP_PASSWORD,
            IMAP_PASSWORD,
            PRIVATE_KEY_PEM.replace("\n", "\\n"));
  }

  private static String dkim(String domain, String selector, String jsonPem) {
    return "\"dkim\": {\"domain\": \"%s\", \"selector\": \"%s\", \"private_key_pem\": \"%s\"}"
        .formatted(domain, selector, jsonPem);
  }

  /** The TXT record, computed here from the public half of the generated key. */
  private static String expectedDkimRecord() {
    return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(DKIM.getPublic().getEncoded());
  }

  private static void assertNoSecrets(String body) {
    assertThat(body).doesNotContain(SMTP_PASSWORD).doesNotContain(IMAP_PASSWORD);
    assertThat(body).doesNotContain("PRIVATE KEY");
    assertNoPrivateKeyPart(body);
  }

  /**
   * No 16 characters of the private key's base64 appear, but those that the public key shares (the
   * modulus is in both).
   */
  private static void assertNoPrivateKeyPart(String text) {
    String publicRecord = expectedDkimRecord();
    List<String> leaked = new ArrayList<>();
    for (int i = 0; i + 16 <= PRIVATE_KEY_BASE64.length(); i += 4) {
      String part = PRIVATE_KEY_BASE64.substring(i, i + 16);
      if (!publicRecord.contains(part) && text.contains(part)) {
        leaked.add(part);
      }
    }
    assertThat(leaked).isEmpty();
  }

  private static String domain() {
    return "snd" + UNIQUE.incrementAndGet() + "-" + System.nanoTime() + ".test";
  }

  /** A number no other test registers: a block of its own. */
  private static String phone() {
    return String.format("+1415556%04d", UNIQUE.incrementAndGet() % 10_000);
  }

  private static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
