package dev.sequencer.activities.messaging;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/** Sends email over SMTP (Jakarta Mail) with a plain-text and an HTML part. */
@Component
public class EmailSender {

  private final JavaMailSenderImpl mail;

  public EmailSender(JavaMailSenderImpl mail) {
    this.mail = mail;
  }

  /**
   * @return the Message-ID header the message went out with
   * @throws PermanentSendFailure when the relay rejects the message or recipient for good
   */
  public String send(OutboundEmail email) {
    MimeMessage message = new FixedIdMimeMessage(mail.getSession(), email.messageIdHeader());
    try {
      MimeMessageHelper helper =
          new MimeMessageHelper(message, true, StandardCharsets.UTF_8.name());
      helper.setFrom(new InternetAddress(email.fromAddress(), email.fromName(), "UTF-8"));
      if (email.replyTo() != null) {
        helper.setReplyTo(email.replyTo());
      }
      helper.setTo(email.to());
      helper.setSubject(email.subject());
      helper.setText(email.text(), email.html());
      if (email.unsubscribeUrl() != null) {
        // RFC 2369 and RFC 8058: mail clients offer a one-click unsubscribe that POSTs to the URL.
        message.setHeader(
            "List-Unsubscribe",
            "<"
                + email.unsubscribeUrl()
                + ">"
                + (email.unsubscribeMailto() == null
                    ? ""
                    : ", <" + email.unsubscribeMailto() + ">"));
        message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
      }
      mail.send(message);
      return email.messageIdHeader();
    } catch (MessagingException | UnsupportedEncodingException e) {
      throw new PermanentSendFailure("invalid_message", e.getMessage(), e);
    } catch (MailException e) {
      if (isPermanent(e)) {
        throw new PermanentSendFailure("smtp_rejected", rootMessage(e), e);
      }
      throw e;
    }
  }

  /** 5xx replies and addresses the relay called invalid will fail the same way again. */
  static boolean isPermanent(Throwable failure) {
    // Spring's MailSendException for a refused message has no cause: the Jakarta Mail failure of
    // each message is kept aside, in getMessageExceptions().
    if (failure instanceof MailSendException send) {
      for (Exception perMessage : send.getMessageExceptions()) {
        if (isPermanent(perMessage)) {
          return true;
        }
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SMTPAddressFailedException a && a.getReturnCode() >= 500) {
        return true;
      }
      if (t instanceof SMTPSendFailedException s && s.getReturnCode() >= 500) {
        return true;
      }
      if (t instanceof SendFailedException s
          && s.getInvalidAddresses() != null
          && s.getInvalidAddresses().length > 0
          && (s.getValidSentAddresses() == null || s.getValidSentAddresses().length == 0)
          && !(s.getNextException() instanceof MessagingException next && isTransient(next))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isTransient(MessagingException e) {
    return e instanceof SMTPAddressFailedException a && a.getReturnCode() < 500;
  }

  private static String rootMessage(Throwable t) {
    if (t instanceof MailSendException send && send.getMessageExceptions().length > 0) {
      return rootMessage(send.getMessageExceptions()[0]);
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? t.getMessage() : root.getMessage();
  }

  /** Keeps the Message-ID we chose, which Jakarta Mail would otherwise replace on save. */
  private static final class FixedIdMimeMessage extends MimeMessage {
    private final String messageId;

    FixedIdMimeMessage(jakarta.mail.Session session, String messageId) {
      super(session);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }
  }
}
