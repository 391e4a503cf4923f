package dev.sequencer.app.crash;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Twilio as it looks while it has trouble: an HTTP proxy in front of the {@link TwilioStandIn} that
 * passes every request on, except while a fault is set. With {@link Mode#SERVER_ERROR} every
 * request is answered 500 (Twilio's error 20500), and every {@code acceptEvery}-th create is first
 * passed on — the stand-in accepts the message — and then answered 500 all the same, as when Twilio
 * fails after it took the message. With {@link Mode#TOO_MANY_REQUESTS} every request is answered
 * 429 (error 20429) and nothing is accepted.
 */
final class TwilioFaults implements AutoCloseable {

  enum Mode {
    PASS,
    SERVER_ERROR,
    TOO_MANY_REQUESTS
  }

  private static final List<String> FORWARDED_HEADERS =
      List.of("Authorization", "Content-Type", "Accept", "Accept-Encoding", "User-Agent");

  private final String target;
  private final int acceptEvery;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(16);
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private volatile Mode mode = Mode.PASS;
  private final AtomicLong passed = new AtomicLong();
  private final AtomicLong serverErrors = new AtomicLong();
  private final AtomicLong tooManyRequests = new AtomicLong();
  private final AtomicLong createsInServerError = new AtomicLong();
  private final AtomicLong acceptedThenServerError = new AtomicLong();

  TwilioFaults(String target, int acceptEvery) throws IOException {
    this.target = target;
    this.acceptEvery = acceptEvery;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void mode(Mode mode) {
    this.mode = mode;
  }

  Mode mode() {
    return mode;
  }

  /** Requests passed on to the stand-in and answered with its answer. */
  long passed() {
    return passed.get();
  }

  /** Requests answered 500. */
  long serverErrors() {
    return serverErrors.get();
  }

  /** Requests answered 429. */
  long tooManyRequests() {
    return tooManyRequests.get();
  }

  /** Creates the stand-in accepted and that were answered 500 all the same. */
  long acceptedThenServerError() {
    return acceptedThenServerError.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Mode now = mode;
      boolean create = exchange.getRequestMethod().equals("POST");
      if (now == Mode.TOO_MANY_REQUESTS) {
        tooManyRequests.incrementAndGet();
        exchange.getResponseHeaders().set("Retry-After", "1");
        TwilioStandIn.error(exchange, 429, 20429, "Too Many Requests");
        return;
      }
      if (now == Mode.SERVER_ERROR) {
        if (create && createsInServerError.incrementAndGet() % acceptEvery == 0) {
          HttpResponse<byte[]> accepted = forward(exchange, body);
          if (accepted.statusCode() == 201) {
            acceptedThenServerError.incrementAndGet();
          }
        }
        serverErrors.incrementAndGet();
        TwilioStandIn.error(exchange, 500, 20500, "Internal Server Error");
        return;
      }
      HttpResponse<byte[]> response = forward(exchange, body);
      passed.incrementAndGet();
      response
          .headers()
          .firstValue("Content-Type")
          .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
      send(exchange, response.statusCode(), response.body());
    }
  }

  private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException {
    URI uri = exchange.getRequestURI();
    String pathAndQuery =
        uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(target + pathAndQuery)).timeout(Duration.ofSeconds(30));
    for (String name : FORWARDED_HEADERS) {
      String value = exchange.getRequestHeaders().getFirst(name);
      if (value != null && !name.equals("Accept-Encoding")) {
        request.header(name, value);
      }
    }
    request.method(
        exchange.getRequestMethod(),
        body.length == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void send(HttpExchange exchange, int status, byte[] bytes) throws IOException {
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
