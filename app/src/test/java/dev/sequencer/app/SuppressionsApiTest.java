package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The suppression list and its audit trail for API callers: searched, filtered, exported. */
class SuppressionsApiTest {

  private final RunningService service = RunningService.get();

  @Test
  void theListIsSearchedFilteredAuditedAndExportedWithinTheOrganization() {
    RunningService.Organization org = service.newOrganization("Suppressions");
    RunningService.Organization other = service.newOrganization("Other suppressions");
    String key = org.adminKey();
    optOut(key, "{\"email\": \"Grace.Hopper@Navy.test\", \"reason\": \"asked by phone\"}");
    optOut(key, "{\"email\": \"ada_l@acme.test\"}");
    optOut(key, "{\"phone\": \"+14155550123\"}");
    optOut(other.adminKey(), "{\"email\": \"grace.hopper@navy.test\"}");
    var resubscribed =
        service.call("DELETE", "/api/v1/opt-outs", key, "{\"email\": \"ada_l@acme.test\"}");
    assertThat(resubscribed.status()).isEqualTo(202);

    JsonNode all = list(key, "");
    assertThat(all.get("total").asLong()).isEqualTo(2);
    assertThat(addresses(all)).containsExactlyInAnyOrder("grace.hopper@navy.test", "+14155550123");
    assertThat(all.get("suppressions").get(0).get("source").asString()).isEqualTo("api");

    assertThat(addresses(list(key, "?q=HOPPER"))).containsExactly("grace.hopper@navy.test");
    assertThat(addresses(list(key, "?channel=sms"))).containsExactly("+14155550123");
    // The caller's % and _ are literal characters, not patterns.
    assertThat(list(key, "?q=%25").get("total").asLong()).isZero();
    assertThat(list(key, "?q=a_l").get("total").asLong()).isZero();

    JsonNode audit = service.call("GET", "/api/v1/suppressions/audit?q=ada", key, null).json();
    assertThat(audit.get("entries").valueStream().map(e -> e.get("action").asString()).toList())
        .containsExactly("resubscribe", "opt_out");
    JsonNode grace = service.call("GET", "/api/v1/suppressions/audit?q=grace", key, null).json();
    assertThat(grace.get("entries").get(0).get("detail").asString()).isEqualTo("asked by phone");

    var export = service.call("GET", "/api/v1/suppressions/export", key, null);
    assertThat(export.status()).isEqualTo(200);
    assertThat(export.contentType()).startsWith("text/csv");
    List<String> lines = export.body().lines().toList();
    assertThat(lines.get(0)).isEqualTo("channel,address,source,created_at");
    assertThat(lines.subList(1, lines.size()))
        .hasSize(2)
        .anySatisfy(line -> assertThat(line).startsWith("email,grace.hopper@navy.test,api,"))
        .anySatisfy(line -> assertThat(line).startsWith("sms,+14155550123,api,"));

    // Each export gives its connection back: more exports than the pool has connections.
    for (int i = 0; i < 12; i++) {
      assertThat(service.call("GET", "/api/v1/suppressions/export", key, null).status())
          .isEqualTo(200);
    }

    // The other organization's list holds its own opt-out only.
    assertThat(addresses(list(other.adminKey(), ""))).containsExactly("grace.hopper@navy.test");
    assertThat(list(other.adminKey(), "?channel=sms").get("total").asLong()).isZero();
  }

  @Test
  void badFiltersAreRefusedNamingTheParameter() {
    var channel = service.get("/api/v1/suppressions?channel=fax");
    assertThat(channel.status()).isEqualTo(400);
    assertThat(channel.json().get("errors").get(0).get("field").asString()).isEqualTo("channel");
    var search = service.get("/api/v1/suppressions?q=" + "x".repeat(201));
    assertThat(search.status()).isEqualTo(400);
    assertThat(search.json().get("errors").get(0).get("field").asString()).isEqualTo("q");
  }

  private void optOut(String key, String body) {
    assertThat(service.call("POST", "/api/v1/opt-outs", key, body).status()).isEqualTo(202);
  }

  private JsonNode list(String key, String query) {
    var response = service.call("GET", "/api/v1/suppressions" + query, key, null);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static List<String> addresses(JsonNode page) {
    return page.get("suppressions").valueStream().map(s -> s.get("address").asString()).toList();
  }
}
