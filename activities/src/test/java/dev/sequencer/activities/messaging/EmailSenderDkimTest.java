package dev.sequencer.activities.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.simplejavamail.utils.mail.dkim.DkimMessage;
import org.simplejavamail.utils.mail.dkim.DkimSigner;

/**
 * DKIM signatures made by {@link EmailSender}, read back from a real SMTP server and checked by
 * Apache jDKIM, a verifier independent of the library that signs.
 */
class EmailSenderDkimTest {

  private static final String PEM = DkimTestKeys.pkcs8Pem(DkimTestKeys.RSA_2048);
  private static final DkimKey KEY = new DkimKey("acme.test", "s2025", PEM);
  private static final String MESSAGE_ID = "<signed-1@sequencer.test>";

  private GreenMail relay;
  private EmailSender sender;

  @BeforeEach
  void startRelay() {
    relay = TestRelays.started(GreenMailConfiguration.aConfig());
    sender = TestRelays.senderTo(relay);
  }

  @AfterEach
  void stopRelay() {
    sender.destroy();
    relay.stop();
  }

  @Test
  void aSignedMessageVerifiesAgainstThePublishedKeyAndKeepsItsMessageId() throws Exception {
    sender.send(email(MESSAGE_ID, KEY));

    byte[] raw = received();
    List<SignatureRecord> valid = verifier().verify(new ByteArrayInputStream(raw));

    assertThat(valid).hasSize(1);
    SignatureRecord signature = valid.get(0);
    assertThat(signature.getDToken().toString()).isEqualTo("acme.test");
    assertThat(signature.getSelector().toString()).isEqualTo("s2025");
    assertThat(signature.getHeaderCanonicalisationMethod()).isEqualTo("relaxed");
    assertThat(signature.getBodyCanonicalisationMethod()).isEqualTo("relaxed");
    assertThat(signature.getHeaders())
        .map(name -> name.toString().toLowerCase())
        .contains(
            "from",
            "to",
            "subject",
            "date",
            "message-id",
            "in-reply-to",
            "references",
            "list-unsubscribe",
            "list-unsubscribe-post",
            "mime-version",
            "content-type");
    Map<String, String> tags = tags(raw);
    assertThat(tags)
        .containsEntry("a", "rsa-sha256")
        .containsEntry("c", "relaxed/relaxed")
        .containsEntry("d", "acme.test")
        .containsEntry("s", "s2025");
    MimeMessage message = relay.getReceivedMessages()[0];
    assertThat(message.getMessageID()).isEqualTo(MESSAGE_ID);
    assertThat(message.getHeader("DKIM-Signature")).hasSize(1);
  }

  @Test
  void aChangedBodyFailsVerification() throws Exception {
    sender.send(email(MESSAGE_ID, KEY));
    String raw = new String(received(), StandardCharsets.US_ASCII);
    assertThat(raw).contains("Book a call");

    byte[] tampered = raw.replace("Book a call", "Book a cab!").getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> verifier().verify(new ByteArrayInputStream(tampered)))
        .isInstanceOf(FailException.class);
  }

  @Test
  void aChangedSignedHeaderFailsVerification() throws Exception {
    sender.send(email(MESSAGE_ID, KEY));
    String raw = new String(received(), StandardCharsets.US_ASCII);
    assertThat(raw).contains("Subject: Quick question");

    byte[] tampered =
        raw.replace("Subject: Quick question", "Subject: Quick questions")
            .getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> verifier().verify(new ByteArrayInputStream(tampered)))
        .isInstanceOf(FailException.class);
  }

  @Test
  void aSignatureUnderAnotherKeyFailsVerification() throws Exception {
    sender.send(email(MESSAGE_ID, KEY));
    String otherRecord = DkimKeys.dnsTxtRecord(DkimTestKeys.pkcs8Pem(DkimTestKeys.rsa(1024)));

    DKIMVerifier verifier = new DKIMVerifier((method, selector, domain) -> List.of(otherRecord));

    assertThatThrownBy(() -> verifier.verify(new ByteArrayInputStream(received())))
        .isInstanceOf(FailException.class);
  }

  @Test
  void anUnsignedMessageCarriesNoSignature() throws Exception {
    sender.send(email(MESSAGE_ID, null));

    MimeMessage message = relay.getReceivedMessages()[0];
    assertThat(message.getHeader("DKIM-Signature")).isNull();
    assertThat(message.getMessageID()).isEqualTo(MESSAGE_ID);
    assertThat(verifier().verify(new ByteArrayInputStream(received()))).isNull();
  }

  @Test
  void anUnusableKeyFailsTheSendForGoodWithoutSending() {
    DkimKey broken = new DkimKey("acme.test", "s2025", "-----BEGIN PRIVATE KEY-----\nAAAA\n");

    assertThatThrownBy(() -> sender.send(email(MESSAGE_ID, broken)))
        .isInstanceOf(PermanentSendFailure.class)
        .satisfies(
            e -> assertThat(((PermanentSendFailure) e).code()).isEqualTo("invalid_dkim_key"));
    assertThat(relay.getReceivedMessages()).isEmpty();
  }

  /**
   * The library's DkimMessage is a copy of the message that a save would give a new Message-ID; the
   * one {@link DkimSigning} makes keeps ours through a save, still signed.
   */
  @Test
  void savingTheSigningMessageAgainKeepsTheMessageId() throws Exception {
    MimeMessage composed = composed();

    DkimMessage plain =
        new DkimMessage(composed, new DkimSigner("acme.test", "s2025", DkimKeys.privateKey(PEM)));
    plain.saveChanges();
    assertThat(plain.getMessageID()).isNotEqualTo(MESSAGE_ID);

    DkimMessage ours = DkimSigning.signing(composed, KEY, MESSAGE_ID);
    ours.saveChanges();
    assertThat(ours.getMessageID()).isEqualTo(MESSAGE_ID);
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    ours.writeTo(written);
    assertThat(verifier().verify(new ByteArrayInputStream(written.toByteArray()))).hasSize(1);

    MimeMessage signed = DkimSigning.sign(composed, KEY, MESSAGE_ID);
    signed.saveChanges();
    assertThat(signed.getMessageID()).isEqualTo(MESSAGE_ID);
  }

  private MimeMessage composed() throws MessagingException {
    MimeMessage message =
        new EmailSender.FixedIdMimeMessage(
            jakarta.mail.Session.getInstance(new Properties()), MESSAGE_ID);
    message.setFrom(new InternetAddress("ada@acme.test"));
    message.setRecipients(MimeMessage.RecipientType.TO, "lead@example.com");
    message.setSubject("Quick question");
    message.setText("Book a call");
    message.saveChanges();
    return message;
  }

  /** The TXT record of the key, at its selector under its domain and nowhere else. */
  private static DKIMVerifier verifier() {
    String record = DkimKeys.dnsTxtRecord(PEM);
    return new DKIMVerifier(
        (method, selector, domain) -> {
          if (!"s2025".contentEquals(selector) || !"acme.test".contentEquals(domain)) {
            throw new PermFailException("no record at " + selector + "._domainkey." + domain);
          }
          return List.of(record);
        });
  }

  private byte[] received() throws MessagingException, IOException {
    assertThat(relay.getReceivedMessages()).hasSize(1);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    relay.getReceivedMessages()[0].writeTo(raw);
    return raw.toByteArray();
  }

  /** The tags of the message's DKIM-Signature header. */
  private static Map<String, String> tags(byte[] raw) throws MessagingException {
    MimeMessage message =
        new MimeMessage(
            jakarta.mail.Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    String header = message.getHeader("DKIM-Signature")[0].replaceAll("\\s+", "");
    Map<String, String> tags = new LinkedHashMap<>();
    for (String tag : header.split(";")) {
      int equals = tag.indexOf('=');
      if (equals > 0) {
        tags.put(tag.substring(0, equals), tag.substring(equals + 1));
      }
    }
    return tags;
  }

  private static OutboundEmail email(String messageId, DkimKey dkim) {
    return new OutboundEmail(
        messageId,
        "ada@acme.test",
        "Ada Lovelace",
        "replies@acme.test",
        "lead@example.com",
        "Quick question",
        "Grüße aus Köln! Book a call: https://acme.test/call",
        "<p>Grüße aus Köln! <a href=\"https://acme.test/call\">Book a call</a></p>",
        "https://acme.test/u/abc",
        "mailto:unsubscribe@acme.test",
        "<hook-1@sequencer.test>",
        null,
        dkim);
  }
}
