package dev.sequencer.activities.messaging;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/** RSA keys made for a test run, and their PEM forms. */
final class DkimTestKeys {

  /** One 2048-bit key for every test: making one takes a good part of a second. */
  static final KeyPair RSA_2048 = rsa(2048);

  private DkimTestKeys() {}

  static KeyPair rsa(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String label, byte[] der) {
    String base64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
  }

  /** The key as {@code openssl genpkey} writes it. */
  static String pkcs8Pem(KeyPair pair) {
    return pem("PRIVATE KEY", pair.getPrivate().getEncoded());
  }

  /**
   * The key as {@code openssl genrsa} (before 3.0) writes it: the RSAPrivateKey that the JDK's
   * PKCS#8 encoding wraps, its last element.
   */
  static String pkcs1Pem(KeyPair pair) {
    byte[] pkcs8 = pair.getPrivate().getEncoded();
    int at = headerLength(pkcs8, 0); // into the PrivateKeyInfo SEQUENCE
    at += headerLength(pkcs8, at) + contentLength(pkcs8, at); // past the version
    at += headerLength(pkcs8, at) + contentLength(pkcs8, at); // past the AlgorithmIdentifier
    int start = at + headerLength(pkcs8, at); // the OCTET STRING's content
    return pem(
        "RSA PRIVATE KEY", Arrays.copyOfRange(pkcs8, start, start + contentLength(pkcs8, at)));
  }

  private static int headerLength(byte[] der, int at) {
    int first = der[at + 1] & 0xff;
    return first < 0x80 ? 2 : 2 + (first & 0x7f);
  }

  private static int contentLength(byte[] der, int at) {
    int first = der[at + 1] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int length = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      length = (length << 8) | (der[at + 2 + i] & 0xff);
    }
    return length;
  }
}
