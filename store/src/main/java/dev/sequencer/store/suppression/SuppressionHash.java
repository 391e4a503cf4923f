package dev.sequencer.store.suppression;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How an erased person's suppression entries keep their address: as {@code "sha256:"} and the
 * lowercase hex SHA-256 of the normalised address's UTF-8 bytes. The entry still matches the
 * address when it comes back (so an erased opt-out is never mailed again), but no longer says it.
 * In SQL: {@code 'sha256:' || encode(sha256(convert_to(address, 'UTF8')), 'hex')}.
 */
public final class SuppressionHash {

  public static final String PREFIX = "sha256:";

  private SuppressionHash() {}

  public static String of(String address) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(address.getBytes(StandardCharsets.UTF_8));
      return PREFIX + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
