package dev.sequencer.activities.messaging;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.simplejavamail.utils.mail.dkim.Canonicalization;
import org.simplejavamail.utils.mail.dkim.DkimMessage;
import org.simplejavamail.utils.mail.dkim.DkimSigner;
import org.simplejavamail.utils.mail.dkim.SigningAlgorithm;

/**
 * DKIM-signs a composed message once, before it is handed to a relay: rsa-sha256 with relaxed
 * header and body canonicalisation (RFC 6376), over the headers that make the message what it is.
 * The signed bytes are kept as they are, so a resend after a lost connection sends the same
 * signature and a signing failure shows before any relay is spoken to.
 */
final class DkimSigning {

  /**
   * Signed when present, besides the library's defaults (Reply-To, Cc, Sender, Content-Transfer-
   * Encoding and more). List-Unsubscribe-Post must be signed for RFC 8058 one-click unsubscribe.
   */
  static final List<String> SIGNED_HEADERS =
      List.of(
          "From",
          "To",
          "Subject",
          "Date",
          "Message-ID",
          "In-Reply-To",
          "References",
          "List-Unsubscribe",
          "List-Unsubscribe-Post",
          "MIME-Version",
          "Content-Type");

  private DkimSigning() {}

  /**
   * @return {@code message} with a DKIM-Signature header, its Message-ID kept
   * @throws IllegalArgumentException when the key, domain or selector is unusable
   * @throws MessagingException when the message cannot be signed
   */
  static MimeMessage sign(MimeMessage message, DkimKey key, String messageId)
      throws MessagingException, IOException {
    ByteArrayOutputStream signed = new ByteArrayOutputStream();
    signing(message, key, messageId).writeTo(signed);
    return new EmailSender.FixedIdMimeMessage(
        message.getSession(), new ByteArrayInputStream(signed.toByteArray()), messageId);
  }

  /** The library's message that signs itself as it is written out. */
  static DkimMessage signing(MimeMessage message, DkimKey key, String messageId)
      throws MessagingException {
    DkimKeys.recordName(key.domain(), key.selector());
    DkimSigner signer =
        new DkimSigner(key.domain(), key.selector(), DkimKeys.privateKey(key.privateKeyPem()));
    // The library would look the selector's record up in DNS before each signature.
    signer.setCheckDomainKey(false);
    signer.setSigningAlgorithm(SigningAlgorithm.SHA256_WITH_RSA);
    signer.setHeaderCanonicalization(Canonicalization.RELAXED);
    signer.setBodyCanonicalization(Canonicalization.RELAXED);
    SIGNED_HEADERS.forEach(signer::addHeaderToSign);
    return new FixedIdDkimMessage(message, signer, messageId);
  }

  /**
   * The library's {@link DkimMessage} is a copy of the message that, like any MimeMessage, would
   * replace the Message-ID with a generated one if saved again; this one keeps ours.
   */
  private static final class FixedIdDkimMessage extends DkimMessage {
    private final String messageId;

    FixedIdDkimMessage(MimeMessage message, DkimSigner signer, String messageId)
        throws MessagingException {
      super(message, signer);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }
  }
}
