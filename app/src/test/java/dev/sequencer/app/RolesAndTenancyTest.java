package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * Every {@code /api} route against every role and against another organization. The table below is
 * the contract's (API.md, "Organizations, keys and roles"): {@code read_only} may {@code GET};
 * {@code operator} may also pause, resume and cancel campaigns, pause and resume leads, opt out and
 * re-subscribe, post replies and conversions; {@code admin} everything in its organization; only
 * the platform admin key creates organizations. A test checks that the table names every route the
 * service serves, so a new route cannot go unchecked.
 */
class RolesAndTenancyTest {

  /** One route and the permission it needs. */
  record Route(String method, String path, String permission, String body) {
    String key() {
      return method + " " + path;
    }
  }

  private static final String CAMPAIGN =
      "{\"name\": \"Tenancy\", \"channel\": \"email\", \"sender\": {\"email\": \"{sender}\"},"
          + " \"schedule\": {\"timezone\": \"UTC\", \"holiday_calendar\": null,"
          + " \"business_days\": [\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\",\"SAT\",\"SUN\"]}}";

  static final List<Route> ROUTES =
      List.of(
          new Route("GET", "/api/v1/campaigns", "read", null),
          new Route("POST", "/api/v1/campaigns", "manage", CAMPAIGN),
          new Route("GET", "/api/v1/campaigns/{id}", "read", null),
          new Route("PATCH", "/api/v1/campaigns/{id}", "manage", "{\"name\": \"Renamed\"}"),
          new Route("POST", "/api/v1/campaigns/{id}/clone", "manage", "{\"name\": \"Copy\"}"),
          // Before the start: a refused call is compared with data that background work of an
          // earlier allowed call (the start's enrolment and run) no longer changes.
          new Route("POST", "/api/v1/campaigns/{id}/simulate", "manage", "{\"sample\": 5}"),
          new Route("POST", "/api/v1/campaigns/{id}/start", "manage", "{}"),
          new Route("GET", "/api/v1/campaigns/{campaignId}/metrics", "read", null),
          new Route("GET", "/api/v1/campaigns/{campaignId}/leads", "read", null),
          new Route(
              "POST",
              "/api/v1/campaigns/{campaignId}/leads",
              "manage",
              "[{\"lead_id\": \"added\", \"email\": \"added@tenancy.test\"}]"),
          new Route("GET", "/api/v1/campaigns/{campaignId}/leads/{leadId}", "read", null),
          new Route("GET", "/api/v1/campaigns/{campaignId}/leads/{leadId}/history", "read", null),
          new Route(
              "POST",
              "/api/v1/campaigns/{campaignId}/preview",
              "manage",
              "{\"lead\": {\"email\": \"p@tenancy.test\"}}"),
          new Route("POST", "/api/v1/campaigns/{campaignId}/pause", "control", "{}"),
          new Route("POST", "/api/v1/campaigns/{campaignId}/resume", "control", "{}"),
          new Route("POST", "/api/v1/campaigns/{campaignId}/cancel", "control", "{}"),
          new Route("POST", "/api/v1/campaigns/{campaignId}/leads/{leadId}/pause", "control", "{}"),
          new Route(
              "POST", "/api/v1/campaigns/{campaignId}/leads/{leadId}/resume", "control", "{}"),
          new Route(
              "POST",
              "/api/v1/campaigns/{campaignId}/leads/{leadId}/steps/{step}/review",
              "control",
              "{}"),
          new Route("POST", "/api/v1/opt-outs", "control", "{\"email\": \"lead@tenancy.test\"}"),
          new Route("DELETE", "/api/v1/opt-outs", "control", "{\"email\": \"lead@tenancy.test\"}"),
          new Route(
              "POST",
              "/api/v1/replies",
              "control",
              "{\"channel\": \"email\", \"from\": \"lead@tenancy.test\", \"body\": \"Interested!\"}"),
          new Route(
              "POST",
              "/api/v1/conversions",
              "control",
              "{\"campaign_id\": \"{id}\", \"lead_id\": \"{leadId}\", \"event\": \"demo\"}"),
          new Route("POST", "/api/v1/organizations", "platform", "{\"name\": \"Sneaky\"}"),
          new Route("GET", "/api/v1/keys", "read", null),
          new Route("POST", "/api/v1/keys", "manage", "{\"name\": \"k\", \"role\": \"admin\"}"),
          new Route("DELETE", "/api/v1/keys/{keyId}", "manage", null),
          new Route("GET", "/api/v1/audit", "manage", null),
          new Route("GET", "/api/v1/senders", "read", null),
          new Route(
              "POST",
              "/api/v1/senders",
              "manage",
              "{\"channel\": \"sms\", \"phone\": \"{phone}\"}"),
          new Route("GET", "/api/v1/senders/{senderId}", "read", null),
          new Route("PATCH", "/api/v1/senders/{senderId}", "manage", "{\"daily_limit\": 40}"),
          new Route("POST", "/api/v1/senders/{senderId}/pause", "control", "{\"reason\": \"r\"}"),
          new Route("POST", "/api/v1/senders/{senderId}/resume", "control", "{}"),
          new Route("DELETE", "/api/v1/senders/{senderId}", "manage", null),
          new Route("GET", "/api/v1/audiences", "read", null),
          new Route("POST", "/api/v1/audiences", "manage", "{\"name\": \"Everyone\"}"),
          new Route("GET", "/api/v1/audiences/{audienceId}", "read", null),
          new Route("GET", "/api/v1/audiences/{audienceId}/estimate", "read", null),
          new Route("GET", "/api/v1/audiences/{audienceId}/members", "read", null),
          new Route("DELETE", "/api/v1/audiences/{audienceId}", "manage", null),
          new Route("GET", "/api/v1/suppressions", "read", null),
          new Route("GET", "/api/v1/suppressions/audit", "read", null),
          new Route("GET", "/api/v1/suppressions/export", "read", null),
          new Route("GET", "/api/v1/contacts", "read", null),
          new Route(
              "POST",
              "/api/v1/contacts",
              "manage",
              "[{\"contact_id\": \"added-contact\", \"email\": \"added@tenancy.test\"}]"),
          new Route("GET", "/api/v1/contacts/{contactId}", "read", null),
          new Route("GET", "/api/v1/contacts/{contactId}/export", "manage", null),
          new Route("GET", "/api/v1/contacts/{contactId}/enrolments", "read", null),
          new Route(
              "POST",
              "/api/v1/events",
              "manage",
              "{\"event_id\": \"e-1\", \"contact_id\": \"contact-1\", \"type\": \"signed_up\"}"),
          new Route("POST", "/api/v1/campaigns/{id}/activate", "manage", "{}"),
          new Route("GET", "/api/v1/campaigns/{campaignId}/export", "read", null),
          new Route(
              "POST",
              "/api/v1/webhooks",
              "manage",
              "{\"url\": \"http://127.0.0.1:9/hooks\", \"events\": [\"message.sent\"]}"),
          new Route("GET", "/api/v1/webhooks", "read", null),
          new Route("GET", "/api/v1/webhooks/{webhookId}", "read", null),
          new Route("GET", "/api/v1/webhooks/{webhookId}/deliveries", "read", null),
          new Route(
              "POST", "/api/v1/webhooks/{webhookId}/deliveries/{deliveryId}/retry", "manage", "{}"),
          new Route("POST", "/api/v1/webhooks/{webhookId}/enable", "manage", "{}"),
          new Route("GET", "/api/v1/campaigns/{campaignId}/webhook-secret", "manage", null),
          new Route("GET", "/api/v1/inbox/{contactId}", "read", null),
          new Route("POST", "/api/v1/inbox/{contactId}/{messageId}/read", "control", "{}"),
          new Route("DELETE", "/api/v1/webhooks/{webhookId}", "manage", null),
          // Last: the admin's erasure removes the contact the routes above read.
          new Route("DELETE", "/api/v1/contacts/{contactId}", "manage", null));

  private static final Map<String, Set<String>> ROLE_PERMISSIONS =
      Map.of(
          "read_only", Set.of("read"),
          "operator", Set.of("read", "control"),
          "admin", Set.of("read", "control", "manage"));

  private static RunningService service;
  private static JdbcClient jdbc;

  @BeforeAll
  static void start() {
    service = RunningService.get();
    jdbc = service.bean(JdbcClient.class);
  }

  @Test
  void theTableNamesEveryApiRouteTheServiceServes() {
    Set<String> served = new TreeSet<>();
    RequestMappingHandlerMapping mapping =
        service.context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
    for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
      for (String pattern : info.getPatternValues()) {
        if (pattern.startsWith("/api/")) {
          for (RequestMethod method : info.getMethodsCondition().getMethods()) {
            served.add(method.name() + " " + pattern);
          }
        }
      }
    }
    Set<String> table = new TreeSet<>();
    ROUTES.forEach(route -> table.add(route.key()));
    assertThat(table).isEqualTo(served);
  }

  @Test
  void eachRoleIsRefusedExactlyWhatItMayNotDoAndARefusalChangesNothing() {
    RunningService.Organization org = service.newOrganization("Roles Corp");
    Map<String, String> keys =
        Map.of(
            "admin", org.adminKey(),
            "operator", service.newKey(org.adminKey(), "operator"),
            "read_only", service.newKey(org.adminKey(), "read_only"));
    Things things = things(org);
    List<String> wrong = new ArrayList<>();
    for (Route route : ROUTES) {
      for (String role : List.of("read_only", "operator", "admin")) {
        // Every call on a fresh key to revoke, so that the admin's DELETE revokes none in use.
        Things call =
            route.path().contains("{keyId}")
                    || route.path().contains("{senderId}")
                    || route.path().contains("{audienceId}")
                ? things(org, things)
                : things;
        awaitEnrolled(org.id());
        String before = settledFingerprint(org.id());
        RunningService.Response response =
            service.call(route.method(), call.path(route.path()), keys.get(role), call.body(route));
        boolean allowed = ROLE_PERMISSIONS.get(role).contains(route.permission());
        if (allowed && response.status() == 403) {
          wrong.add(role + " refused " + route.key() + ": " + response.body());
        } else if (!allowed) {
          if (response.status() != 403) {
            wrong.add(role + " got " + response.status() + " for " + route.key());
          } else {
            JsonNode problem = response.json();
            if (!problem.get("role").asString().equals(role)
                || !problem.get("permission").asString().equals(route.permission())) {
              wrong.add(role + " refused " + route.key() + " naming " + problem);
            }
            if (!fingerprint(org.id()).equals(before)) {
              wrong.add(role + "'s refused " + route.key() + " changed the organization's data");
            }
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void anotherOrganizationsIdsAreNotFoundOnEveryRouteAndChangeNothing() {
    RunningService.Organization owner = service.newOrganization("Owner Ltd");
    RunningService.Organization stranger = service.newOrganization("Stranger Ltd");
    Things theirs = things(owner);
    String before = fingerprint(owner.id());
    List<String> wrong = new ArrayList<>();
    for (Route route : ROUTES) {
      boolean namesAnId =
          route.path().contains("{") || (route.body() != null && route.body().contains("{id}"));
      if (!namesAnId || route.permission().equals("platform")) {
        continue;
      }
      RunningService.Response response =
          service.call(
              route.method(), theirs.path(route.path()), stranger.adminKey(), theirs.body(route));
      if (response.status() != 404) {
        wrong.add(route.key() + " answered " + response.status() + ": " + response.body());
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(fingerprint(owner.id())).isEqualTo(before);

    // Routes without ids act within the caller's organization only.
    String lead = "lead@tenancy.test";
    assertThat(
            service
                .call(
                    "POST",
                    "/api/v1/opt-outs",
                    stranger.adminKey(),
                    "{\"email\": \"" + lead + "\"}")
                .status())
        .isEqualTo(202);
    var reply =
        service.call(
            "POST",
            "/api/v1/replies",
            stranger.adminKey(),
            "{\"channel\": \"email\", \"from\": \""
                + lead
                + "\", \"body\": \"Stop, not interested\"}");
    assertThat(reply.status()).isEqualTo(202);
    assertThat(reply.json().get("matched").size()).isZero();
    assertThat(fingerprint(owner.id())).isEqualTo(before);
    var strangersKeys = service.call("GET", "/api/v1/keys", stranger.adminKey(), null);
    assertThat(strangersKeys.body()).doesNotContain(theirs.keyId());
    // The stranger's audit log holds its own attempts only, none of the owner's calls.
    Set<String> strangersKeyIds = new TreeSet<>(Set.of("platform"));
    strangersKeys.json().get("keys").forEach(k -> strangersKeyIds.add(k.get("key_id").asString()));
    var strangersAudit = service.call("GET", "/api/v1/audit?limit=500", stranger.adminKey(), null);
    strangersAudit
        .json()
        .get("entries")
        .forEach(e -> assertThat(strangersKeyIds).contains(e.get("key_id").asString()));
    assertThat(strangersAudit.body()).doesNotContain("lead-1\",\"status\":202");
    var strangersCampaigns = service.call("GET", "/api/v1/campaigns", stranger.adminKey(), null);
    assertThat(strangersCampaigns.body()).doesNotContain(theirs.campaignId());
  }

  /** The ids the routes' paths and bodies are filled with. */
  record Things(
      String sender,
      String campaignId,
      String leadId,
      String keyId,
      String senderId,
      String contactId,
      String audienceId,
      String webhookId) {
    String path(String template) {
      return template
          .replace("{contactId}", contactId)
          .replace("{id}", campaignId)
          .replace("{campaignId}", campaignId)
          .replace("{leadId}", leadId)
          .replace("{keyId}", keyId)
          .replace("{senderId}", senderId)
          .replace("{audienceId}", audienceId)
          .replace("{webhookId}", webhookId)
          .replace("{deliveryId}", "dlv_1")
          .replace("{messageId}", "msg_1")
          .replace("{step}", "hook");
    }

    String body(Route route) {
      return route.body() == null
          ? null
          : route
              .body()
              .replace("{id}", campaignId)
              .replace("{leadId}", leadId)
              .replace("{sender}", sender)
              .replace("{phone}", newPhone());
    }
  }

  private static final AtomicInteger PHONES = new AtomicInteger();

  /** A number no organization has registered: one of a block no other test uses. */
  private static String newPhone() {
    return String.format("+1415555%04d", 9000 - PHONES.incrementAndGet());
  }

  /** A draft campaign of the organization with one lead, and a spare key. */
  private static Things things(RunningService.Organization org) {
    // Each organization sends from an address of its own: one registered by another is refused.
    String sender =
        "ada@" + org.id().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ".tenancy.test";
    var campaign =
        service.call(
            "POST", "/api/v1/campaigns", org.adminKey(), CAMPAIGN.replace("{sender}", sender));
    assertThat(campaign.status()).isEqualTo(201);
    String campaignId = campaign.json().get("campaign_id").asString();
    var lead =
        service.call(
            "POST",
            "/api/v1/campaigns/" + campaignId + "/leads",
            org.adminKey(),
            "[{\"lead_id\": \"lead-1\", \"email\": \"lead@tenancy.test\"}]");
    assertThat(lead.json().get("accepted").asInt()).isEqualTo(1);
    var contact =
        service.call(
            "POST",
            "/api/v1/contacts",
            org.adminKey(),
            "[{\"contact_id\": \"contact-1\", \"email\": \"contact@tenancy.test\"}]");
    assertThat(contact.json().get("accepted").asInt()).isEqualTo(1);
    var webhook =
        service.call(
            "POST",
            "/api/v1/webhooks",
            org.adminKey(),
            "{\"url\": \"http://127.0.0.1:9/hooks\", \"events\": [\"campaign.created\"]}");
    assertThat(webhook.status()).as(webhook.body()).isEqualTo(201);
    return things(
        org,
        new Things(
            sender,
            campaignId,
            "lead-1",
            null,
            null,
            "contact-1",
            null,
            webhook.json().get("webhook_id").asString()));
  }

  private static Things things(RunningService.Organization org, Things with) {
    var key =
        service.call(
            "POST",
            "/api/v1/keys",
            org.adminKey(),
            "{\"name\": \"spare\", \"role\": \"read_only\"}");
    var sender =
        service.call(
            "POST",
            "/api/v1/senders",
            org.adminKey(),
            "{\"channel\": \"sms\", \"phone\": \"" + newPhone() + "\"}");
    assertThat(sender.status()).as(sender.body()).isEqualTo(201);
    var audience =
        service.call("POST", "/api/v1/audiences", org.adminKey(), "{\"name\": \"Spare\"}");
    assertThat(audience.status()).as(audience.body()).isEqualTo(201);
    return new Things(
        with.sender(),
        with.campaignId(),
        with.leadId(),
        key.json().get("key_id").asString(),
        sender.json().get("sender_id").asString(),
        with.contactId(),
        audience.json().get("audience_id").asString(),
        with.webhookId());
  }

  /**
   * Waits until the leads an earlier call started or added have been enrolled by their running
   * campaign's workflow: that happens in the background, and on a busy machine later than a short
   * settling pause would notice.
   */
  private static void awaitEnrolled(String organization) {
    for (int i = 0; i < 240; i++) {
      long pending =
          jdbc.sql(
                  "select count(*) from leads l join campaigns c on c.id = l.campaign_id"
                      + " where l.organization_id = ? and l.status = 'PENDING'"
                      + " and c.status in ('RUNNING', 'SCHEDULED')")
              .param(organization)
              .query(Long.class)
              .single();
      if (pending == 0) {
        return;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("the organization's leads were not enrolled within 60 s");
  }

  /**
   * The fingerprint once the work an earlier call set off (a start enrols and plans its leads in
   * the background) has settled: the same over half a second.
   */
  private static String settledFingerprint(String organization) {
    String last = fingerprint(organization);
    for (int i = 0; i < 60; i++) {
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      String now = fingerprint(organization);
      if (now.equals(last)) {
        return now;
      }
      last = now;
    }
    throw new AssertionError("the organization's data did not settle within 15 s");
  }

  /** What the organization holds, in a form that shows any change. */
  private static String fingerprint(String organization) {
    return jdbc.sql(
            """
            select concat_ws('|',
              (select string_agg(id || ':' || status || ':' || name, ',' order by id)
                 from campaigns where organization_id = :o),
              (select string_agg(campaign_id || '/' || lead_id || ':' || status, ',' order by id)
                 from leads where organization_id = :o),
              (select count(*) from suppressions where organization_id = :o),
              (select string_agg(id || ':' || coalesce(revoked_at::text, ''), ',' order by id)
                 from api_keys where organization_id = :o),
              (select count(*) from conversions where organization_id = :o),
              (select count(*) from lead_events where organization_id = :o),
              (select count(*) from messages where organization_id = :o),
              (select string_agg(id, ',' order by id) from senders where organization_id = :o),
              (select string_agg(contact_id || ':' || coalesce(email, ''), ',' order by id)
                 from contacts where organization_id = :o),
              (select string_agg(id, ',' order by id) from audiences where organization_id = :o),
              (select string_agg(id || ':' || status, ',' order by id)
                 from webhook_endpoints where organization_id = :o),
              (select string_agg(d.id || ':' || d.status, ',' order by d.id)
                 from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
                where e.organization_id = :o and d.status <> 'pending'))
            """)
        .param("o", organization)
        .query(String.class)
        .single();
  }
}
