package dev.sequencer.store;

import java.security.SecureRandom;

/** Opaque server-chosen ids such as {@code cmp_3k9x…}: a type prefix and 20 random characters. */
public final class Ids {

  private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  public static String next(String prefix) {
    StringBuilder id = new StringBuilder(prefix.length() + 21).append(prefix).append('_');
    for (int i = 0; i < 20; i++) {
      id.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return id.toString();
  }
}
