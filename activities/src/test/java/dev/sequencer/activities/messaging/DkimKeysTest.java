package dev.sequencer.activities.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DkimKeysTest {

  private static final KeyPair PAIR = DkimTestKeys.RSA_2048;

  @Test
  void aPkcs8KeyIsRead() {
    RSAPrivateCrtKey key = DkimKeys.privateKey(DkimTestKeys.pkcs8Pem(PAIR));

    assertThat(key.getEncoded()).isEqualTo(PAIR.getPrivate().getEncoded());
  }

  @Test
  void aPkcs1KeyIsRead() {
    String pem = DkimTestKeys.pkcs1Pem(PAIR);
    assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----");

    RSAPrivateCrtKey key = DkimKeys.privateKey(pem);

    assertThat(key.getEncoded()).isEqualTo(PAIR.getPrivate().getEncoded());
  }

  @Test
  void aKeyWithWindowsLineBreaksAndTextAroundItIsRead() {
    String pem =
        "key for s1._domainkey\r\n" + DkimTestKeys.pkcs8Pem(PAIR).replace("\n", "\r\n") + "\r\n";

    assertThat(DkimKeys.privateKey(pem).getModulus())
        .isEqualTo(((RSAPrivateCrtKey) PAIR.getPrivate()).getModulus());
  }

  @Test
  void theTxtRecordPublishesThePublicKeyOfThePrivateOne() {
    String record = DkimKeys.dnsTxtRecord(DkimTestKeys.pkcs8Pem(PAIR));

    assertThat(record).startsWith("v=DKIM1; k=rsa; p=");
    byte[] published = Base64.getDecoder().decode(record.substring("v=DKIM1; k=rsa; p=".length()));
    assertThat(published).isEqualTo(PAIR.getPublic().getEncoded());
    assertThat(DkimKeys.dnsTxtRecord(DkimTestKeys.pkcs1Pem(PAIR))).isEqualTo(record);
  }

  @Test
  void textThatIsNoKeyIsRefused() {
    assertRefused("hello", "not in PEM");
    assertRefused("", "no DKIM private key");
    assertRefused(null, "no DKIM private key");
    assertRefused(DkimTestKeys.pem("PRIVATE KEY", new byte[] {1, 2, 3, 4, 5}), "cannot be read");
  }

  @Test
  void aDamagedKeyIsRefusedWithoutQuotingIt() {
    String pem = DkimTestKeys.pkcs8Pem(PAIR);
    String body = pem.substring(pem.indexOf('\n') + 1, pem.indexOf("-----END"));
    // A line of the key's base64 dropped: the DER inside no longer adds up.
    String damaged = pem.replace(body.substring(0, 65), "");

    assertThatThrownBy(() -> DkimKeys.privateKey(damaged))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be read")
        .hasNoCause()
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(body.substring(70, 90)));
  }

  @Test
  void otherKindsOfKeyAreRefusedSayingWhy() throws Exception {
    assertRefused(DkimTestKeys.pem("PUBLIC KEY", PAIR.getPublic().getEncoded()), "public key");
    assertRefused(DkimTestKeys.pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2}), "encrypted");
    assertRefused(
        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n"
            + "-----END RSA PRIVATE KEY-----",
        "encrypted");
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    assertRefused(DkimTestKeys.pkcs8Pem(ec.generateKeyPair()), "not an RSA private key");
    assertRefused(
        DkimTestKeys.pem("EC PRIVATE KEY", new byte[] {1, 2}), "EC PRIVATE KEY is not an RSA");
    assertRefused(DkimTestKeys.pkcs8Pem(DkimTestKeys.rsa(512)), "512 bits");
  }

  @Test
  void theRecordNameIsTheSelectorUnderTheDomainsDomainKeys() {
    assertThat(DkimKeys.recordName("acme.test", "s2025")).isEqualTo("s2025._domainkey.acme.test");
    assertThat(DkimKeys.recordName("mail.acme.test", "a.b-1"))
        .isEqualTo("a.b-1._domainkey.mail.acme.test");
    assertThatThrownBy(() -> DkimKeys.recordName("acme", "s1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("domain");
    assertThatThrownBy(() -> DkimKeys.recordName("acme.test", "s 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("selector");
    assertThatThrownBy(() -> DkimKeys.recordName("acme.test", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("selector");
  }

  @Test
  void aWholeKeyIsCheckedAndPrintedWithoutItsPrivateKey() {
    String pem = DkimTestKeys.pkcs8Pem(PAIR);
    DkimKey key = new DkimKey("acme.test", "s1", pem);

    DkimKeys.check(key);

    assertThat(key.toString())
        .contains("acme.test", "s1")
        .doesNotContain("PRIVATE")
        .doesNotContain(pem.substring(40, 80));
    assertThatThrownBy(() -> DkimKeys.check(new DkimKey("acme", "s1", pem)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertRefused(String pem, String saying) {
    assertThatThrownBy(() -> DkimKeys.privateKey(pem))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(saying);
  }
}
