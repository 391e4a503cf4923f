package dev.sequencer.activities.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature: HMAC-SHA256 of {@code "<id>.<timestamp>.<body>"} keyed with the
 * base64-decoded part of the secret after {@code whsec_}, sent as {@code v1,<base64>}.
 */
public final class WebhookSignature {

  public static final String SECRET_PREFIX = "whsec_";

  private WebhookSignature() {}

  public static String sign(String secret, String id, long timestampSeconds, String body) {
    byte[] key =
        Base64.getDecoder()
            .decode(
                secret.startsWith(SECRET_PREFIX)
                    ? secret.substring(SECRET_PREFIX.length())
                    : secret);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] digest =
          mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
