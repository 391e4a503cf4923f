package dev.sequencer.content.links;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens in unsubscribe and tracking links: their fields, and an HMAC-SHA256 over them with the
 * service's secret. A token that was forged or altered does not verify, so links cannot be made up
 * to unsubscribe someone else or to redirect anywhere.
 *
 * <p>A token names the secret that signed it by a key id (the first characters of the secret's
 * SHA-256), so the secret can be rotated: tokens are signed with the current secret, and a retired
 * one still verifies for {@link #RETIRED_VALIDITY} after the day it was retired (an unsubscribe
 * link works for at least that long after its message). Tokens from before key ids (two parts, no
 * id) verify against the current and the still valid retired secrets.
 */
public final class LinkTokens {

  /** How long a retired secret keeps verifying the tokens it signed. */
  public static final Duration RETIRED_VALIDITY = Duration.ofDays(90);

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final char SEPARATOR = '|';

  private final Key current;
  private final List<Key> retired;
  private final Clock clock;

  /** A secret no longer signing, and the day it stopped. */
  public record Retired(String secret, LocalDate retiredOn) {
    @Override
    public String toString() {
      return "Retired[secret=***, retiredOn=" + retiredOn + "]";
    }
  }

  private record Key(String id, SecretKeySpec spec, Instant validUntil) {}

  public LinkTokens(String secret) {
    this(secret, List.of(), Clock.systemUTC());
  }

  public LinkTokens(String secret, List<Retired> retired, Clock clock) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("a token secret is required");
    }
    this.current = key(secret, null);
    List<Key> keys = new ArrayList<>();
    for (Retired old : retired) {
      keys.add(
          key(
              old.secret(),
              old.retiredOn()
                  .plusDays(1)
                  .atStartOfDay(ZoneOffset.UTC)
                  .toInstant()
                  .plus(RETIRED_VALIDITY)));
    }
    this.retired = List.copyOf(keys);
    this.clock = clock;
  }

  /**
   * Tokens for the configured secrets: the current one and the retired ones as {@code
   * secret@yyyy-mm-dd} separated by commas (the day each was retired).
   *
   * @throws IllegalArgumentException naming the entry that is not {@code secret@date}
   */
  public static LinkTokens of(String secret, String retiredSpec, Clock clock) {
    return new LinkTokens(secret, parseRetired(retiredSpec), clock);
  }

  /** The retired secrets of {@code spec} ({@code secret@yyyy-mm-dd,…}; blank for none). */
  public static List<Retired> parseRetired(String spec) {
    List<Retired> retired = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      return retired;
    }
    int position = 0;
    for (String entry : spec.split(",")) {
      position++;
      int at = entry.lastIndexOf('@');
      try {
        if (at <= 0) {
          throw new DateTimeParseException("no @", entry, 0);
        }
        retired.add(
            new Retired(
                entry.substring(0, at).trim(), LocalDate.parse(entry.substring(at + 1).trim())));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "retired token secret " + position + " is not secret@yyyy-mm-dd");
      }
    }
    return retired;
  }

  /** The id tokens signed with {@code secret} carry. */
  public static String keyId(String secret) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return ENCODER.encodeToString(digest).substring(0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  /** A token carrying {@code fields} (none may contain '|'), signed with the current secret. */
  public String sign(String... fields) {
    for (String field : fields) {
      if (field.indexOf(SEPARATOR) >= 0) {
        throw new IllegalArgumentException("token fields may not contain '|'");
      }
    }
    byte[] payload =
        String.join(String.valueOf(SEPARATOR), fields).getBytes(StandardCharsets.UTF_8);
    return current.id()
        + "."
        + ENCODER.encodeToString(payload)
        + "."
        + ENCODER.encodeToString(mac(current, payload));
  }

  /** The fields of a genuine token; empty for anything forged, altered, expired or malformed. */
  public Optional<List<String>> verify(String token) {
    if (token == null || token.length() > 2048) {
      return Optional.empty();
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length == 3) {
      return keyOf(parts[0]).flatMap(key -> verify(key, parts[1], parts[2]));
    }
    if (parts.length == 2) {
      // Signed before tokens named their secret.
      for (Key key : usable()) {
        Optional<List<String>> fields = verify(key, parts[0], parts[1]);
        if (fields.isPresent()) {
          return fields;
        }
      }
    }
    return Optional.empty();
  }

  private Optional<Key> keyOf(String id) {
    return usable().stream().filter(key -> key.id().equals(id)).findFirst();
  }

  private List<Key> usable() {
    Instant now = clock.instant();
    List<Key> keys = new ArrayList<>();
    keys.add(current);
    retired.stream().filter(key -> now.isBefore(key.validUntil())).forEach(keys::add);
    return keys;
  }

  private static Optional<List<String>> verify(Key key, String encodedPayload, String signature) {
    if (encodedPayload.isEmpty()) {
      return Optional.empty();
    }
    try {
      byte[] payload = DECODER.decode(encodedPayload);
      // Compared as text, not decoded: base64 ignores the spare bits of its last character, so
      // two spellings of one signature would otherwise both pass.
      byte[] expected =
          ENCODER.encodeToString(mac(key, payload)).getBytes(StandardCharsets.US_ASCII);
      byte[] given = signature.getBytes(StandardCharsets.US_ASCII);
      if (!MessageDigest.isEqual(expected, given)
          || !ENCODER.encodeToString(payload).equals(encodedPayload)) {
        return Optional.empty();
      }
      return Optional.of(
          Arrays.asList(new String(payload, StandardCharsets.UTF_8).split("\\|", -1)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Key key(String secret, Instant validUntil) {
    return new Key(
        keyId(secret),
        new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
        validUntil);
  }

  private static byte[] mac(Key key, byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key.spec());
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
    }
  }
}
