package dev.sequencer.store.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A webhook receiver on the loopback interface: records every request it gets and answers as the
 * test scripts it (a status, after an optional delay).
 */
public final class WebhookReceiver implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One request as it arrived; headers are looked up case-insensitively. */
  public record Call(String path, Map<String, List<String>> headers, String body, long atMillis) {
    public String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String id() {
      return header("webhook-id");
    }

    public JsonNode json() {
      return JSON.readTree(body);
    }

    public String type() {
      return json().get("type").asString();
    }

    public JsonNode data() {
      return json().get("data");
    }
  }

  /** How to answer a request: this status, after this long. */
  public record Answer(int status, Duration delay, String location) {
    public static Answer of(int status) {
      return new Answer(status, Duration.ZERO, null);
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Call> calls = new ArrayList<>();
  private volatile Function<Call, Answer> answers = call -> Answer.of(200);

  public WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          String body;
          try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
          Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
          exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
          Call call =
              new Call(
                  exchange.getRequestURI().getPath(), headers, body, System.currentTimeMillis());
          synchronized (calls) {
            calls.add(call);
          }
          Answer answer = answers.apply(call);
          try {
            Thread.sleep(answer.delay().toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          if (answer.location() != null) {
            exchange.getResponseHeaders().add("Location", answer.location());
          }
          try {
            exchange.sendResponseHeaders(answer.status(), -1);
          } catch (IOException gone) {
            // The caller timed out and left.
          }
          exchange.close();
        });
    server.setExecutor(threads);
    server.start();
  }

  /** The URL of {@code path} on this receiver, e.g. {@code /hooks}. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public void answer(Function<Call, Answer> answers) {
    this.answers = answers;
  }

  public List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  public static void await(String what, Duration limit, BooleanSupplier done) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
