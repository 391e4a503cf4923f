package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.api.lead.FakeDnsServer;
import dev.sequencer.api.lead.FakeDnsServer.Zone;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The MX check at lead import, switched on by configuration, on a service of its own whose resolver
 * is a DNS server on a local port: globex.test has an MX, initech.test only an A record, null.test
 * a null MX, and every other domain does not exist.
 */
class ImportMxCheckTest {

  private static FakeDnsServer dns;
  private static RunningService service;

  @BeforeAll
  static void start() {
    dns =
        new FakeDnsServer(
            Map.of("globex.test", Zone.MX, "initech.test", Zone.A_ONLY, "null.test", Zone.NULL_MX));
    service =
        RunningService.start(
            "--sequencer.import.mx-check=true",
            "--sequencer.import.mx-resolver=" + dns.hostAndPort(),
            "--sequencer.import.mx-timeout=500ms");
  }

  @AfterAll
  static void stop() throws InterruptedException {
    service.context.close();
    dns.close();
  }

  @Test
  void addressesWhoseDomainTakesNoMailAreKeptButFlagged() {
    String campaign = service.createOpenEmailCampaign("MX check");
    var response =
        service.post(
            "/api/v1/campaigns/" + campaign + "/leads",
            """
            [{"lead_id": "m-1", "email": "hank@globex.test"},
             {"lead_id": "m-2", "email": "info@gone.test"},
             {"lead_id": "m-3", "email": "peter@initech.test"},
             {"lead_id": "m-4", "email": "Bill@Gone.test"},
             {"lead_id": "m-5", "email": "x@null.test"},
             {"lead_id": "m-6", "email": "not-an-address"}]
            """);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode result = response.json();
    assertThat(result.get("accepted").asInt()).isEqualTo(5);
    assertThat(result.get("rejected").findValuesAsString("index")).containsExactly("5");
    assertThat(LeadApiTest.flags(result))
        .containsExactly("1 m-2 [role_address, no_mx]", "3 m-4 [no_mx]", "4 m-5 [no_mx]");
    assertThat(result.get("warnings").isEmpty()).isTrue();
    assertThat(dns.queries("gone.test", "MX")).as("once per import").isEqualTo(1);
    assertThat(service.get("/api/v1/campaigns/" + campaign + "/leads/m-4").status())
        .as("kept")
        .isEqualTo(200);
  }

  @Test
  void withoutDnsTheImportGoesOnAndSaysSoOnce() {
    String campaign = service.createOpenEmailCampaign("MX check without DNS");
    StringBuilder csv = new StringBuilder("lead_id,email\n");
    for (int i = 0; i < 12; i++) {
      csv.append("q-").append(i).append(",q").append(i).append("@gone").append(i).append(".test\n");
    }
    dns.silent(true);
    long start = System.nanoTime();
    JsonNode result;
    try {
      result = service.postCsv("/api/v1/campaigns/" + campaign + "/leads", csv.toString()).json();
    } finally {
      dns.silent(false);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(result.get("accepted").asInt()).isEqualTo(12);
    assertThat(result.get("flagged").isEmpty()).as("no answer is no verdict").isTrue();
    assertThat(result.get("warnings").valueStream().map(JsonNode::asString))
        .containsExactly("MX check skipped: DNS unavailable");
    assertThat(took).as("well within the 10 s budget").isLessThan(Duration.ofSeconds(5));
  }
}
