package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Classes of hostile input found from outside, one example each: every one gets a 4xx problem that
 * names what is wrong without naming internals, and changes nothing. {@link
 * GeneratedHostileInputTest} sends thousands more, generated.
 */
class HostileInputTest {

  private final RunningService service = RunningService.get();

  private long campaigns() {
    return service
        .bean(JdbcClient.class)
        .sql("select count(*) from campaigns")
        .query(Long.class)
        .single();
  }

  private static void assertRefused(RunningService.Response response, String field) {
    assertThat(response.status()).as(response.body()).isBetween(400, 499);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.body())
        .doesNotContain("Exception")
        .doesNotContain("jackson")
        .doesNotContain("FAIL_ON");
    if (field != null) {
      assertThat(response.body()).contains(field);
    }
  }

  @Test
  void aWildcardContentTypeOnJsonIsRefused() {
    var response =
        service.send(
            service
                .request("/api/v1/campaigns", RunningService.KEY)
                .header("Content-Type", "*/*")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"x\"}")));
    assertRefused(response, "Content-Type");
  }

  @Test
  void malformedPercentEncodingIsNot5xx() throws Exception {
    // Sent raw: Java's HTTP client will not build such a URI.
    assertThat(rawStatus("GET /api/v1/campaigns?%zz=1 HTTP/1.1")).startsWith("HTTP/1.1 4");
  }

  @Test
  void instantsOutOfRangeAndFarFutureStartsAreRefused() {
    String campaign = service.createOpenEmailCampaign("Far future");
    assertRefused(
        service.post(
            "/api/v1/campaigns/" + campaign + "/start",
            "{\"start_at\": \"+999999999-12-31T23:59:59Z\"}"),
        "start_at");
    assertRefused(
        service.post(
            "/api/v1/campaigns/" + campaign + "/start", "{\"start_at\": \"9999-01-01T00:00:00Z\"}"),
        "start_at");
    assertThat(service.get("/api/v1/campaigns/" + campaign).json().get("status").asString())
        .isEqualTo("draft");
  }

  @Test
  void aCsvHeaderWithAnEmptyColumnNameIsRefused() {
    String campaign = service.createOpenEmailCampaign("Empty column");
    assertRefused(
        service.postCsv(
            "/api/v1/campaigns/" + campaign + "/leads", "lead_id,,email\nh-1,x,h1@example.com\n"),
        null);
  }

  @Test
  void crlfInASenderNameIsRefused() {
    assertRefused(
        service.post(
            "/api/v1/campaigns",
            "{\"name\": \"crlf\", \"channel\": \"email\","
                + " \"sender\": {\"email\": \"a@b.test\", \"name\": \"Ada\\r\\nBcc: x@evil.test\"}}"),
        "sender.name");
  }

  @Test
  void theErrorPageAndUnusedMethodsAreNot5xx() throws Exception {
    var error = service.send(service.request("/error", null).GET());
    assertThat(error.status()).isEqualTo(404);
    assertThat(error.contentType()).startsWith("application/problem+json");
    assertThat(rawStatus("TRACE /api/v1/campaigns HTTP/1.1")).startsWith("HTTP/1.1 405");
  }

  @Test
  void aNulCharacterInATextFieldIsRefusedNamingTheField() {
    String campaign = service.createOpenEmailCampaign("Nul");
    long before = campaigns();
    assertRefused(
        service.post("/api/v1/campaigns/" + campaign + "/clone", "{\"name\": \"a\\u0000b\"}"),
        "name");
    assertRefused(
        service.post(
            "/api/v1/opt-outs", "{\"email\": \"nul@example.com\", \"reason\": \"a\\u0000\"}"),
        "reason");
    var csv =
        service.postCsv(
            "/api/v1/campaigns/" + campaign + "/leads",
            "lead_id,email,attributes.city\nn-1,n1@example.com,Pa\u0000ris\n");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.json().get("accepted").asInt()).isZero();
    assertThat(csv.body()).contains("attributes.city");
    assertThat(campaigns()).isEqualTo(before);
  }

  @Test
  void numbersAreNotStringsAndStringsAreNotNumbers() {
    long before = campaigns();
    assertRefused(
        service.post("/api/v1/campaigns", "{\"name\": 5, \"channel\": \"email\"}"), "name");
    assertRefused(
        service.post(
            "/api/v1/campaigns",
            "{\"name\": \"n\", \"channel\": \"email\", \"sender\": {\"email\":"
                + " \"a@b.test\"}, \"holdout_percentage\": \"5\"}"),
        "holdout_percentage");
    assertThat(campaigns()).isEqualTo(before);
  }

  @Test
  void notANumberInfinityAndLineBreaksInACronAreRefused() {
    String base =
        "{\"name\": \"n\", \"channel\": \"email\", \"sender\": {\"email\": \"a@b.test\"},";
    long before = campaigns();
    assertRefused(
        service.post(
            "/api/v1/campaigns",
            base + " \"auto_winner\": {\"enabled\": true, \"confidence\": \"NaN\"}}"),
        "auto_winner.confidence");
    assertRefused(
        service.post(
            "/api/v1/campaigns",
            base + " \"auto_winner\": {\"enabled\": true, \"confidence\": 1e400}}"),
        "auto_winner.confidence");
    assertRefused(
        service.post(
            "/api/v1/campaigns",
            base + " \"schedule\": {\"timezone\": \"UTC\", \"recurrence\": \"0 9 *\\r\\n* MON\"}}"),
        "schedule.recurrence");
    assertThat(campaigns()).isEqualTo(before);
  }

  @Test
  void aLinkThatIsNoUrlIsRefusedWhenTheCampaignIsCreated() {
    long before = campaigns();
    assertRefused(
        service.post(
            "/api/v1/campaigns",
            "{\"name\": \"n\", \"channel\": \"email\", \"sender\": {\"email\": \"a@b.test\"},"
                + " \"steps\": [{\"type\": \"hook\", \"day\": 0, \"subject\": \"S\","
                + " \"body\": \"See http://[::1 for more\"}]}"),
        "steps[0].body");
    assertThat(campaigns()).isEqualTo(before);
  }

  @Test
  void tooManyAttributeColumnsAndTooLongValuesAreRefused() {
    String campaign = service.createOpenEmailCampaign("Wide");
    StringBuilder header = new StringBuilder("lead_id,email");
    StringBuilder row = new StringBuilder("w-1,w1@example.com");
    for (int i = 0; i < 10_000; i++) {
      header.append(",attributes.a").append(i);
      row.append(",v");
    }
    assertRefused(
        service.postCsv("/api/v1/campaigns/" + campaign + "/leads", header + "\n" + row + "\n"),
        "header");
    var longValue =
        service.postCsv(
            "/api/v1/campaigns/" + campaign + "/leads",
            "lead_id,email,attributes.note\nw-2,w2@example.com," + "x".repeat(3_000_000) + "\n");
    assertThat(longValue.status()).isEqualTo(200);
    assertThat(longValue.json().get("accepted").asInt()).isZero();
    assertThat(longValue.body()).contains("attributes.note", "at most 2000");
    assertThat(service.get("/api/v1/campaigns/" + campaign + "/leads").json().get("total").asLong())
        .isZero();
  }

  @Test
  void aRequestThatAcceptsNoJsonIsRefusedBeforeItChangesAnything() {
    long before = campaigns();
    var response =
        service.send(
            service
                .request("/api/v1/campaigns", RunningService.KEY)
                .header("Content-Type", "application/json")
                .header("Accept", "application/xml")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \"x\", \"channel\": \"email\", \"sender\": {\"email\":"
                            + " \"ada@acme.test\"}}")));
    assertThat(response.status()).isEqualTo(406);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(campaigns()).isEqualTo(before);
  }

  @Test
  void brokenJsonIsDescribedWithoutTheParsersWording() {
    var response = service.post("/api/v1/campaigns", "{\"name\": NaN, \"channel\": 'email'}");
    assertRefused(response, "body");
    assertThat(response.body()).contains("line 1").doesNotContain("ALLOW_").doesNotContain("`");
  }

  @Test
  void slowUploadsHoldNoDatabaseConnection() throws Exception {
    String campaign = service.createOpenEmailCampaign("Slow uploads");
    URI base = URI.create(service.baseUrl);
    int length = 4_096;
    List<Socket> uploads = new java.util.ArrayList<>();
    try {
      // More stalled uploads than the pool has connections (Hikari's default is 10): each sends
      // its headers and a first row, then waits.
      for (int i = 0; i < 14; i++) {
        Socket socket = new Socket(base.getHost(), base.getPort());
        uploads.add(socket);
        String head = "lead_id,email\ns-" + i + ",s" + i + "@example.com\n";
        socket
            .getOutputStream()
            .write(
                ("POST /api/v1/campaigns/"
                        + campaign
                        + "/leads HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                        + RunningService.KEY
                        + "\r\nContent-Type: text/csv\r\nContent-Length: "
                        + length
                        + "\r\nConnection: close\r\n\r\n"
                        + head)
                    .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
      }
      Thread.sleep(1_500);
      java.time.Instant began = java.time.Instant.now();
      var listed = service.get("/api/v1/campaigns/" + campaign + "/leads");
      assertThat(listed.status()).isEqualTo(200);
      assertThat(java.time.Duration.between(began, java.time.Instant.now()))
          .isLessThan(java.time.Duration.ofSeconds(5));

      for (int i = 0; i < uploads.size(); i++) {
        int sent = ("lead_id,email\ns-" + i + ",s" + i + "@example.com\n").length();
        OutputStream out = uploads.get(i).getOutputStream();
        out.write("\n".repeat(length - sent).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(
                new String(
                    uploads.get(i).getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
            .isEqualTo("HTTP/1.1 200");
      }
    } finally {
      for (Socket socket : uploads) {
        socket.close();
      }
    }
    assertThat(service.get("/api/v1/campaigns/" + campaign + "/leads").json().get("total").asLong())
        .isEqualTo(14);
  }

  /** The status line the service answers a raw request line with. */
  private String rawStatus(String requestLine) throws Exception {
    URI base = URI.create(service.baseUrl);
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          (requestLine
                  + "\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + RunningService.KEY
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readNBytes(12), StandardCharsets.US_ASCII);
    }
  }
}
