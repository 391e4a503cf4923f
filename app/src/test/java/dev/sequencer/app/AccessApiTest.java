package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Organizations, their keys and the audit log, as the platform admin and the admins use them. */
class AccessApiTest {

  private final RunningService service = RunningService.get();

  @Test
  void thePlatformAdminKeyCreatesOrganizationsAndNothingElse() {
    var created =
        service.call(
            "POST", "/api/v1/organizations", RunningService.ADMIN_KEY, "{\"name\": \"Initech\"}");
    assertThat(created.status()).isEqualTo(201);
    JsonNode body = created.json();
    String org = body.get("organization_id").asString();
    assertThat(org).startsWith("org_");
    assertThat(body.get("name").asString()).isEqualTo("Initech");
    assertThat(body.get("api_key").get("role").asString()).isEqualTo("admin");
    String adminKey = body.get("api_key").get("key").asString();
    assertThat(adminKey).hasSizeGreaterThanOrEqualTo(32);

    // The new key works, in its own organization: it sees none of the default organization's.
    String mine = service.createOpenEmailCampaign("Default organization's");
    var list = service.call("GET", "/api/v1/campaigns", adminKey, null);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().get("total").asLong()).isZero();
    assertThat(service.call("GET", "/api/v1/campaigns/" + mine, adminKey, null).status())
        .isEqualTo(404);

    // Organization keys cannot create organizations; the platform key cannot act in one.
    var byOrgKey = service.call("POST", "/api/v1/organizations", adminKey, "{\"name\": \"Nope\"}");
    assertThat(byOrgKey.status()).isEqualTo(403);
    assertThat(byOrgKey.json().get("permission").asString()).isEqualTo("platform");
    var byPlatform = service.call("GET", "/api/v1/campaigns", RunningService.ADMIN_KEY, null);
    assertThat(byPlatform.status()).isEqualTo(403);

    var nameless = service.call("POST", "/api/v1/organizations", RunningService.ADMIN_KEY, "{}");
    assertThat(nameless.status()).isEqualTo(400);
    assertThat(nameless.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
  }

  @Test
  void adminsCreateListAndRevokeKeysWhichAreShownOnce() {
    RunningService.Organization org = service.newOrganization("Keys Inc");
    var created =
        service.call(
            "POST",
            "/api/v1/keys",
            org.adminKey(),
            "{\"name\": \"Support desk\", \"role\": \"operator\"}");
    assertThat(created.status()).isEqualTo(201);
    String keyId = created.json().get("key_id").asString();
    String secret = created.json().get("key").asString();
    assertThat(created.json().get("role").asString()).isEqualTo("operator");
    assertThat(created.json().get("name").asString()).isEqualTo("Support desk");
    assertThat(created.json().get("created_at").asString()).endsWith("Z");

    var listed = service.call("GET", "/api/v1/keys", org.adminKey(), null);
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.body()).doesNotContain(secret).doesNotContain(org.adminKey());
    List<String> ids = new ArrayList<>();
    listed.json().get("keys").forEach(k -> ids.add(k.get("key_id").asString()));
    assertThat(ids).hasSize(2).contains(keyId);
    listed.json().get("keys").forEach(k -> assertThat(k.has("key")).isFalse());

    assertThat(service.call("GET", "/api/v1/campaigns", secret, null).status()).isEqualTo(200);
    assertThat(service.call("DELETE", "/api/v1/keys/" + keyId, org.adminKey(), null).status())
        .isEqualTo(204);
    // Revoked: refused from its very next request on.
    assertThat(service.call("GET", "/api/v1/campaigns", secret, null).status()).isEqualTo(401);
    var revoked = service.call("GET", "/api/v1/keys", org.adminKey(), null).json().get("keys");
    revoked.forEach(
        k -> {
          if (k.get("key_id").asString().equals(keyId)) {
            assertThat(k.get("revoked_at").isNull()).isFalse();
          }
        });

    // Another organization's admin cannot revoke this organization's keys.
    RunningService.Organization other = service.newOrganization("Other Keys Inc");
    String readOnly = service.newKey(org.adminKey(), "read_only");
    String readOnlyId =
        service
            .call("GET", "/api/v1/keys", org.adminKey(), null)
            .json()
            .get("keys")
            .get(2)
            .get("key_id")
            .asString();
    assertThat(
            service.call("DELETE", "/api/v1/keys/" + readOnlyId, other.adminKey(), null).status())
        .isEqualTo(404);
    assertThat(service.call("GET", "/api/v1/campaigns", readOnly, null).status()).isEqualTo(200);

    var badRole =
        service.call(
            "POST", "/api/v1/keys", org.adminKey(), "{\"name\": \"x\", \"role\": \"owner\"}");
    assertThat(badRole.status()).isEqualTo(400);
    assertThat(badRole.json().get("errors").get(0).get("field").asString()).isEqualTo("role");
    long keys =
        service
            .bean(JdbcClient.class)
            .sql("select count(*) from api_keys where organization_id = ?")
            .param(org.id())
            .query(Long.class)
            .single();
    assertThat(keys).isEqualTo(3);
  }

  @Test
  void everyMutatingCallIsAuditedWithTheKeyThatMadeIt() {
    RunningService.Organization org = service.newOrganization("Audited Ltd");
    String operator = service.newKey(org.adminKey(), "operator");
    String operatorId = keyIdOf(org.adminKey(), "operator");
    var campaign =
        service.call(
            "POST",
            "/api/v1/campaigns",
            org.adminKey(),
            "{\"name\": \"Audited\", \"channel\": \"email\","
                + " \"sender\": {\"email\": \"ada@audited.test\"}}");
    assertThat(campaign.status()).isEqualTo(201);
    String campaignId = campaign.json().get("campaign_id").asString();
    assertThat(
            service
                .call(
                    "DELETE",
                    "/api/v1/opt-outs",
                    operator,
                    "{\"phone\": \"+14155550123\", \"reason\": \"asked by phone\"}")
                .status())
        .isEqualTo(202);
    var refused = service.call("PATCH", "/api/v1/campaigns/" + campaignId, operator, "{}");
    assertThat(refused.status()).isEqualTo(403);
    service.call("GET", "/api/v1/campaigns/" + campaignId, operator, null);

    var audit = service.call("GET", "/api/v1/audit?limit=10", org.adminKey(), null);
    assertThat(audit.status()).isEqualTo(200);
    JsonNode entries = audit.json().get("entries");
    // Newest first: the organization's creation, its operator key, the campaign, the
    // re-subscription and the refused PATCH; not the GET.
    assertThat(audit.json().get("total").asLong()).isEqualTo(5);
    assertThat(entries.get(0).get("method").asString()).isEqualTo("PATCH");
    assertThat(entries.get(0).get("status").asInt()).isEqualTo(403);
    assertThat(entries.get(0).get("key_id").asString()).isEqualTo(operatorId);
    assertThat(entries.get(0).get("target").asString()).isEqualTo(campaignId);
    assertThat(entries.get(1).get("method").asString()).isEqualTo("DELETE");
    assertThat(entries.get(1).get("path").asString()).isEqualTo("/api/v1/opt-outs");
    assertThat(entries.get(1).get("target").asString()).isEqualTo("+14155550123");
    assertThat(entries.get(1).get("key_id").asString()).isEqualTo(operatorId);
    assertThat(entries.get(2).get("status").asInt()).isEqualTo(201);
    assertThat(entries.get(2).get("at").asString()).endsWith("Z");

    // Only admins read it.
    var byOperator = service.call("GET", "/api/v1/audit", operator, null);
    assertThat(byOperator.status()).isEqualTo(403);
    assertThat(byOperator.json().get("role").asString()).isEqualTo("operator");
    assertThat(byOperator.json().get("permission").asString()).isEqualTo("manage");
    assertThat(byOperator.json().get("detail").asString()).contains("operator", "manage");
  }

  @Test
  void aKeyOverItsRateLimitGets429WithRetryAfter() throws Exception {
    RunningService.Organization org = service.newOrganization("Busy Co");
    String key = service.newKey(org.adminKey(), "read_only");
    int requests = 400;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    long began = System.nanoTime();
    List<Future<RunningService.Response>> answers = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      answers.add(pool.submit(() -> service.call("GET", "/api/v1/keys", key, null)));
    }
    int ok = 0;
    RunningService.Response limited = null;
    for (Future<RunningService.Response> answer : answers) {
      RunningService.Response response = answer.get();
      if (response.status() == 200) {
        ok++;
      } else {
        assertThat(response.status()).isEqualTo(429);
        limited = response;
      }
    }
    double seconds = (System.nanoTime() - began) / 1e9;
    pool.shutdown();
    // Burst of 100, then 50 a second (the defaults).
    assertThat(ok).isLessThanOrEqualTo((int) (100 + 50 * seconds) + 1);
    assertThat(limited).as("some request was limited").isNotNull();
    assertThat(limited.contentType()).startsWith("application/problem+json");
    assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(1L, 2L);
    // Another key of the same organization has its own allowance.
    assertThat(service.call("GET", "/api/v1/keys", org.adminKey(), null).status()).isEqualTo(200);
  }

  private String keyIdOf(String adminKey, String role) {
    for (JsonNode key : service.call("GET", "/api/v1/keys", adminKey, null).json().get("keys")) {
      if (key.get("role").asString().equals(role)) {
        return key.get("key_id").asString();
      }
    }
    throw new AssertionError("no " + role + " key");
  }
}
