package dev.sequencer.content.links;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
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
 */
public final class LinkTokens {

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final char SEPARATOR = '|';

  private final SecretKeySpec key;

  public LinkTokens(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("a token secret is required");
    }
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  /** A token carrying {@code fields} (none may contain '|'). */
  public String sign(String... fields) {
    for (String field : fields) {
      if (field.indexOf(SEPARATOR) >= 0) {
        throw new IllegalArgumentException("token fields may not contain '|'");
      }
    }
    byte[] payload =
        String.join(String.valueOf(SEPARATOR), fields).getBytes(StandardCharsets.UTF_8);
    return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(payload));
  }

  /** The fields of a genuine token; empty for anything forged, altered or malformed. */
  public Optional<List<String>> verify(String token) {
    if (token == null || token.length() > 2048) {
      return Optional.empty();
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.')) {
      return Optional.empty();
    }
    try {
      byte[] payload = DECODER.decode(token.substring(0, dot));
      // Compared as text, not decoded: base64 ignores the spare bits of its last character, so
      // two spellings of one signature would otherwise both pass.
      byte[] expected = ENCODER.encodeToString(mac(payload)).getBytes(StandardCharsets.US_ASCII);
      byte[] given = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
      if (!MessageDigest.isEqual(expected, given)
          || !ENCODER.encodeToString(payload).equals(token.substring(0, dot))) {
        return Optional.empty();
      }
      return Optional.of(
          Arrays.asList(new String(payload, StandardCharsets.UTF_8).split("\\|", -1)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private byte[] mac(byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
    }
  }
}
