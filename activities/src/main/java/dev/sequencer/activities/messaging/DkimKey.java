package dev.sequencer.activities.messaging;

/**
 * What DKIM-signs a sender's mail: the signing domain ({@code d=}), the selector ({@code s=}) under
 * which the public key is published at {@code <selector>._domainkey.<domain>}, and the RSA private
 * key in PEM ({@link DkimKeys} checks one and derives the DNS record to publish).
 *
 * <p>{@link #toString()} leaves the key out, so that a key may be logged.
 */
public record DkimKey(String domain, String selector, String privateKeyPem) {

  @Override
  public String toString() {
    return "DkimKey[domain="
        + domain
        + ", selector="
        + selector
        + ", privateKeyPem="
        + (privateKeyPem == null ? "null" : "(hidden)")
        + "]";
  }
}
