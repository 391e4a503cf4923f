package dev.sequencer.activities.messaging;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a DKIM key before it is stored and tells the DNS record that publishes it. An RSA private
 * key is read from PEM, as PKCS#8 ({@code BEGIN PRIVATE KEY}, what {@code openssl genpkey} writes)
 * or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, what older {@code openssl genrsa} writes), unencrypted.
 *
 * <p>Every refusal is an {@link IllegalArgumentException} whose message says what is wrong and
 * never repeats any of the key.
 */
public final class DkimKeys {

  /** RFC 8301: verifiers may reject RSA keys shorter than this. */
  static final int MIN_BITS = 1024;

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]{1,40})-----(.*?)-----END \\1-----", Pattern.DOTALL);

  /** A DNS label (RFC 1035 letters, digits and hyphens); DKIM selectors are such labels too. */
  private static final Pattern LABEL = Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /** DER of AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }. */
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };

  private DkimKeys() {}

  /** Checks the domain, the selector and the key, as {@link EmailSender} will sign with them. */
  public static void check(DkimKey key) {
    if (key == null) {
      throw new IllegalArgumentException("no DKIM key given");
    }
    recordName(key.domain(), key.selector());
    privateKey(key.privateKeyPem());
  }

  /**
   * @return the RSA private key in {@code pem}
   * @throws IllegalArgumentException when it is not an unencrypted RSA private key in PEM of at
   *     least 1024 bits
   */
  public static RSAPrivateCrtKey privateKey(String pem) {
    if (pem == null || pem.isBlank()) {
      throw new IllegalArgumentException("no DKIM private key given");
    }
    Matcher block = PEM.matcher(pem);
    if (!block.find()) {
      throw new IllegalArgumentException(
          "the DKIM private key is not in PEM: expected a -----BEGIN PRIVATE KEY----- block");
    }
    String label = block.group(1);
    String body = block.group(2);
    byte[] pkcs8 =
        switch (label) {
          case "PRIVATE KEY" -> der(body);
          case "RSA PRIVATE KEY" -> {
            if (body.contains("Proc-Type:") || body.contains("DEK-Info:")) {
              throw encrypted();
            }
            yield pkcs8(der(body));
          }
          case "ENCRYPTED PRIVATE KEY" -> throw encrypted();
          case "PUBLIC KEY", "RSA PUBLIC KEY" ->
              throw new IllegalArgumentException(
                  "this is a public key: DKIM signing needs the private key");
          default ->
              throw new IllegalArgumentException(
                  "a PEM block labelled "
                      + label
                      + " is not an RSA private key: DKIM keys here are RSA, in a"
                      + " BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY block");
        };
    RSAPrivateCrtKey key = rsa(pkcs8);
    int bits = key.getModulus().bitLength();
    if (bits < MIN_BITS) {
      throw new IllegalArgumentException(
          "the DKIM key has "
              + bits
              + " bits: receivers reject keys under "
              + MIN_BITS
              + " (2048 is usual)");
    }
    return key;
  }

  /**
   * @return the value of the TXT record that publishes the public half of {@code pem}: {@code
   *     v=DKIM1; k=rsa; p=<base64 of its SubjectPublicKeyInfo>}
   * @throws IllegalArgumentException as {@link #privateKey(String)}
   */
  public static String dnsTxtRecord(String pem) {
    RSAPrivateCrtKey key = privateKey(pem);
    byte[] publicKey;
    try {
      publicKey =
          KeyFactory.getInstance("RSA")
              .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()))
              .getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make an RSA public key", e);
    }
    return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(publicKey);
  }

  /**
   * @return the DNS name of the TXT record: {@code <selector>._domainkey.<domain>}
   * @throws IllegalArgumentException when the domain or the selector is not a DNS name
   */
  public static String recordName(String domain, String selector) {
    if (domain == null || !isDnsName(domain) || !domain.contains(".")) {
      throw new IllegalArgumentException(
          "the DKIM domain must be a domain name such as example.com, not " + quoted(domain));
    }
    if (selector == null || !isDnsName(selector)) {
      throw new IllegalArgumentException(
          "the DKIM selector must be made of letters, digits, hyphens and dots, not "
              + quoted(selector));
    }
    return selector + "._domainkey." + domain;
  }

  private static boolean isDnsName(String name) {
    if (name.length() > 253) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  private static String quoted(String value) {
    if (value == null) {
      return "nothing";
    }
    return "\"" + (value.length() > 80 ? value.substring(0, 80) + "…" : value) + "\"";
  }

  private static IllegalArgumentException encrypted() {
    return new IllegalArgumentException(
        "the DKIM private key is encrypted: give it without a passphrase"
            + " (openssl pkey -in key.pem -out plain.pem)");
  }

  private static byte[] der(String base64) {
    try {
      return Base64.getMimeDecoder().decode(base64.strip());
    } catch (IllegalArgumentException damaged) {
      // The decoder's message quotes the offending character: not repeated.
      throw new IllegalArgumentException("the DKIM private key's base64 is damaged");
    }
  }

  private static RSAPrivateCrtKey rsa(byte[] pkcs8) {
    PrivateKey key;
    try {
      key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException | RuntimeException unreadable) {
      // Not chained: a parser's message may quote the bytes it could not read.
      throw new IllegalArgumentException(
          "the DKIM private key cannot be read: not an RSA private key, or damaged");
    }
    if (!(key instanceof RSAPrivateCrtKey crt)) {
      throw new IllegalArgumentException(
          "the DKIM private key lacks its public exponent, which its DNS record needs");
    }
    BigInteger p = crt.getPrimeP();
    BigInteger q = crt.getPrimeQ();
    if (p.signum() <= 0 || q.signum() <= 0 || !p.multiply(q).equals(crt.getModulus())) {
      throw new IllegalArgumentException("the DKIM private key is damaged: its parts do not agree");
    }
    return crt;
  }

  /** Wraps a PKCS#1 RSAPrivateKey in the PKCS#8 PrivateKeyInfo that the JDK reads. */
  private static byte[] pkcs8(byte[] pkcs1) {
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    info.write(0x02); // INTEGER 0: the version
    info.write(0x01);
    info.write(0x00);
    info.writeBytes(RSA_ALGORITHM);
    info.write(0x04); // OCTET STRING: the PKCS#1 key
    info.writeBytes(length(pkcs1.length));
    info.writeBytes(pkcs1);
    byte[] content = info.toByteArray();
    ByteArrayOutputStream sequence = new ByteArrayOutputStream();
    sequence.write(0x30);
    sequence.writeBytes(length(content.length));
    sequence.writeBytes(content);
    return sequence.toByteArray();
  }

  /** A DER length: one byte below 128, else 0x80 + how many bytes follow, then those bytes. */
  private static byte[] length(int length) {
    if (length < 0x80) {
      return new byte[] {(byte) length};
    }
    byte[] digits = BigInteger.valueOf(length).toByteArray();
    int skip = digits[0] == 0 ? 1 : 0;
    byte[] encoded = new byte[1 + digits.length - skip];
    encoded[0] = (byte) (0x80 | (digits.length - skip));
    System.arraycopy(digits, skip, encoded, 1, digits.length - skip);
    return encoded;
  }
}
