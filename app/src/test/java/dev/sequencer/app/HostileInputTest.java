package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Classes of hostile input found from outside, one example each: every one gets a 4xx problem that
 * names what is wrong without naming internals, and changes nothing. (The rest of the classes, and
 * the generated suite, are the next steps of the tenancy issue.)
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
