package dev.sequencer.store.sender;

import dev.sequencer.config.SequencerProperties;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Seals the secrets senders bring (SMTP and IMAP passwords, DKIM keys) for the store with AES-GCM,
 * under a key derived from {@code SEQUENCER_SECRETS_KEY}, else from the token secret: a database
 * dump alone does not give them away, and a changed value shows as a failed open, not as garbage.
 */
@Component
public class SecretBox {

  private static final String VERSION = "v1:";
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  @Autowired
  public SecretBox(
      @Value("${sequencer.secrets-key:}") String secretsKey, SequencerProperties properties) {
    this(secretsKey == null || secretsKey.isBlank() ? properties.tokenSecret() : secretsKey);
  }

  SecretBox(String secret) {
    try {
      byte[] derived =
          MessageDigest.getInstance("SHA-256")
              .digest(("sequencer sender secrets\0" + secret).getBytes(StandardCharsets.UTF_8));
      this.key = new SecretKeySpec(derived, "AES");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  public String seal(String plain) {
    if (plain == null) {
      return null;
    }
    try {
      byte[] iv = new byte[IV_BYTES];
      random.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[iv.length + sealed.length];
      System.arraycopy(iv, 0, out, 0, iv.length);
      System.arraycopy(sealed, 0, out, iv.length, sealed.length);
      return VERSION + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing a secret failed", e);
    }
  }

  /**
   * @throws IllegalStateException when it was sealed under another key (the secret changed)
   */
  public String open(String sealed) {
    if (sealed == null) {
      return null;
    }
    if (!sealed.startsWith(VERSION)) {
      throw new IllegalStateException("not a sealed secret");
    }
    try {
      byte[] in = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
      return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "a sender secret cannot be opened: was SEQUENCER_SECRETS_KEY (or the token secret)"
              + " changed since it was stored?");
    }
  }
}
