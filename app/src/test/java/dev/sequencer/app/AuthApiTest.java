package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.organization.ApiKeys;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class AuthApiTest {

  private final RunningService service = RunningService.get();

  @Test
  void requestsWithoutAKeyAreRefused() {
    var response = service.send(service.request("/api/v1/campaigns", null).GET());
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().get("status").asInt()).isEqualTo(401);
    assertThat(response.json().get("title").asString()).isEqualTo("Unauthorized");
  }

  @Test
  void requestsWithAWrongKeyAreRefused() {
    var response = service.send(service.request("/api/v1/campaigns", "not-the-key").GET());
    assertThat(response.status()).isEqualTo(401);
    var malformed =
        service.send(
            service.request("/api/v1/campaigns", null).header("Authorization", "Basic abc").GET());
    assertThat(malformed.status()).isEqualTo(401);
  }

  @Test
  void keysAreStoredOnlyAsHashes() {
    long plain =
        service
            .bean(JdbcClient.class)
            .sql("select count(*) from api_keys where key_hash = ?")
            .param(RunningService.KEY)
            .query(Long.class)
            .single();
    assertThat(plain).isZero();
  }

  @Test
  void anotherOrganizationsCampaignsAreInvisible() {
    String campaign = service.createOpenEmailCampaign("Mine");
    service.bean(ApiKeys.class).ensure("org_other", "Other", "other-org-key", "test");

    var theirs =
        service.send(service.request("/api/v1/campaigns/" + campaign, "other-org-key").GET());
    assertThat(theirs.status()).isEqualTo(404);
    var list = service.send(service.request("/api/v1/campaigns", "other-org-key").GET());
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).doesNotContain(campaign);
    var leads =
        service.send(
            service.request("/api/v1/campaigns/" + campaign + "/leads", "other-org-key").GET());
    assertThat(leads.status()).isEqualTo(404);
  }

  @Test
  void operationalEndpointsNeedNoKey() {
    var health = service.send(service.request("/actuator/health", null).GET());
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asString()).isEqualTo("UP");
    assertThat(health.json().get("components").get("db").get("status").asString()).isEqualTo("UP");
    assertThat(health.json().get("components").get("temporal").get("status").asString())
        .isEqualTo("UP");
    assertThat(service.send(service.request("/v3/api-docs", null).GET()).body())
        .contains("/api/v1/campaigns");
    assertThat(service.send(service.request("/actuator/prometheus", null).GET()).status())
        .isEqualTo(200);
  }
}
