package dev.sequencer.app.crash;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * Twilio's Messages API as far as the send path uses it, on a local port: {@code POST
 * /2010-04-01/Accounts/{sid}/Messages.json} accepts a message (201 with a new SID), {@code GET
 * …/Messages.json} lists the accepted ones (filtered by {@code To}, {@code From} and {@code
 * DateSent}, {@code DateSent<}, {@code DateSent>}), {@code GET …/Messages/{MessageSid}.json}
 * fetches one. A message counts as accepted once its create request has been read in full, whether
 * or not the caller lived to read the answer, as at Twilio.
 *
 * <p>Messages are dated with the given clock: the time-skipping Temporal server's, so that a
 * look-up by the date the worker believes it is finds what it sent.
 */
final class TwilioStandIn implements AutoCloseable {

  /** One message Twilio accepted. */
  record Accepted(
      String sid,
      String to,
      String from,
      String body,
      Instant dateCreated,
      long acceptedAtMillis) {}

  private static final Pattern MESSAGES =
      Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages\\.json");
  private static final Pattern MESSAGE =
      Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages/([^/]+)\\.json");
  private static final DateTimeFormatter RFC_2822 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US);
  private static final JsonMapper json = JsonMapper.builder().build();

  private final String accountSid;
  private final String authorization;
  private final Supplier<Instant> clock;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(16);
  private final ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();
  private final Map<String, Accepted> bySid = new ConcurrentHashMap<>();
  private final AtomicLong sids = new AtomicLong();
  private final AtomicLong creates = new AtomicLong();
  private final Set<String> distinct = ConcurrentHashMap.newKeySet();
  private final AtomicLong lookups = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile Throwable failure;

  TwilioStandIn(String accountSid, String authToken, Supplier<Instant> clock) throws IOException {
    this.accountSid = accountSid;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
    this.clock = clock;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Accepted> accepted() {
    return new ArrayList<>(accepted);
  }

  long acceptedCount() {
    return creates.get();
  }

  /** Distinct messages accepted so far: by recipient, sender and body. */
  long distinctCount() {
    return distinct.size();
  }

  /** List and fetch requests: how often the send path asked what Twilio already has. */
  long lookups() {
    return lookups.get();
  }

  /** The first error of the stand-in itself, which would otherwise look like a flaky Twilio. */
  Throwable failure() {
    return failure;
  }

  /** Requests refused (bad credentials, unknown paths). */
  long refused() {
    return refused.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      serve(exchange);
    } catch (IOException e) {
      // The caller went away (killed) before it read the answer.
      throw e;
    } catch (RuntimeException | Error e) {
      if (failure == null) {
        failure = e;
      }
      throw e;
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        refused.incrementAndGet();
        error(exchange, 401, 20003, "Authenticate");
        return;
      }
      Matcher list = MESSAGES.matcher(path);
      Matcher one = MESSAGE.matcher(path);
      String method = exchange.getRequestMethod();
      if (list.matches() && accountSid.equals(list.group(1)) && method.equals("POST")) {
        create(exchange);
      } else if (list.matches() && accountSid.equals(list.group(1)) && method.equals("GET")) {
        lookups.incrementAndGet();
        list(exchange);
      } else if (one.matches() && accountSid.equals(one.group(1)) && method.equals("GET")) {
        lookups.incrementAndGet();
        Accepted message = bySid.get(one.group(2));
        if (message == null) {
          error(exchange, 404, 20404, "The requested resource " + path + " was not found");
        } else {
          send(exchange, 200, resource(message, "sent"));
        }
      } else {
        refused.incrementAndGet();
        error(exchange, 404, 20404, "The requested resource " + path + " was not found");
      }
    }
  }

  private void create(HttpExchange exchange) throws IOException {
    Map<String, String> form =
        parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    String to = form.get("To");
    String from = form.get("From");
    String body = form.get("Body");
    if (to == null || from == null || body == null) {
      error(exchange, 400, 21602, "Message body, To and From are required");
      return;
    }
    String sid = String.format("SM%032x", sids.incrementAndGet());
    Accepted message = new Accepted(sid, to, from, body, clock.get(), System.currentTimeMillis());
    bySid.put(sid, message);
    accepted.add(message);
    distinct.add(to + " " + from + " " + body);
    creates.incrementAndGet();
    send(exchange, 201, resource(message, "queued"));
  }

  private void list(HttpExchange exchange) throws IOException {
    Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
    List<Map<String, Object>> page = new ArrayList<>();
    for (Accepted message : accepted) {
      if (matches(message, query)) {
        page.add(resource(message, "sent"));
      }
    }
    // Newest first, as Twilio lists them.
    java.util.Collections.reverse(page);
    String uri = "/2010-04-01/Accounts/" + accountSid + "/Messages.json";
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("messages", page);
    response.put("end", Math.max(0, page.size() - 1));
    response.put("first_page_uri", uri + "?PageSize=" + Math.max(50, page.size()) + "&Page=0");
    response.put("next_page_uri", null);
    response.put("page", 0);
    response.put("page_size", Math.max(50, page.size()));
    response.put("previous_page_uri", null);
    response.put("start", 0);
    response.put("uri", uri + "?PageSize=" + Math.max(50, page.size()) + "&Page=0");
    send(exchange, 200, response);
  }

  private static boolean matches(Accepted message, Map<String, String> query) {
    if (query.containsKey("To") && !query.get("To").equals(message.to())) {
      return false;
    }
    if (query.containsKey("From") && !query.get("From").equals(message.from())) {
      return false;
    }
    Instant sent = message.dateCreated();
    for (Map.Entry<String, String> filter : query.entrySet()) {
      String name = filter.getKey();
      if (!name.startsWith("DateSent")) {
        continue;
      }
      String value = filter.getValue();
      boolean dateOnly = value.length() == 10;
      int comparison;
      if (dateOnly) {
        comparison = LocalDate.ofInstant(sent, ZoneOffset.UTC).compareTo(LocalDate.parse(value));
      } else {
        Instant bound =
            value.endsWith("Z")
                ? Instant.parse(value)
                : LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        comparison = sent.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).compareTo(bound);
      }
      // Twilio's DateSent< and DateSent> are inclusive (on or before, on or after).
      boolean ok =
          switch (name) {
            case "DateSent<", "DateSent<=" -> comparison <= 0;
            case "DateSent>", "DateSent>=" -> comparison >= 0;
            default -> comparison == 0;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private Map<String, Object> resource(Accepted message, String status) {
    String uri = "/2010-04-01/Accounts/" + accountSid + "/Messages/" + message.sid();
    String date = RFC_2822.format(message.dateCreated().atOffset(ZoneOffset.UTC));
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("account_sid", accountSid);
    resource.put("api_version", "2010-04-01");
    resource.put("body", message.body());
    resource.put("date_created", date);
    resource.put("date_sent", status.equals("queued") ? null : date);
    resource.put("date_updated", date);
    resource.put("direction", "outbound-api");
    resource.put("error_code", null);
    resource.put("error_message", null);
    resource.put("from", message.from());
    resource.put("messaging_service_sid", null);
    resource.put("num_media", "0");
    resource.put("num_segments", "1");
    resource.put("price", null);
    resource.put("price_unit", "USD");
    resource.put("sid", message.sid());
    resource.put("status", status);
    resource.put("subresource_uris", Map.of("media", uri + "/Media.json"));
    resource.put("to", message.to());
    resource.put("uri", uri + ".json");
    return resource;
  }

  /** Also {@link TwilioFaults}'s answer, so that an injected fault reads as one of Twilio's own. */
  static void error(HttpExchange exchange, int status, int code, String message)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", message);
    body.put("more_info", "https://www.twilio.com/docs/errors/" + code);
    body.put("status", status);
    send(exchange, status, body);
  }

  private static void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> parse(String encoded) {
    Map<String, String> values = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return values;
    }
    for (String pair : encoded.split("&")) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      values.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return values;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
