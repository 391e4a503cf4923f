package dev.sequencer.activities.messaging;

import dev.sequencer.content.MailStreams;
import jakarta.activation.FileTypeMap;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.ConfigurableMimeFileTypeMap;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Sends email over SMTP (Jakarta Mail) with a plain-text and an HTML part, over connections kept
 * open between sends.
 */
@Component
public class EmailSender implements DisposableBean {

  static {
    MailStreams.pinProvider();
  }

  /** Connections kept open for the next sends; more than this are closed after their send. */
  static final int IDLE_CONNECTIONS = 8;

  private final JavaMailSenderImpl mail;
  private final SmtpConnectionPool connections;

  public EmailSender(JavaMailSenderImpl mail) {
    this.mail = mail;
    this.connections = new SmtpConnectionPool(mail, IDLE_CONNECTIONS);
  }

  /**
   * @return the Message-ID header the message went out with
   * @throws PermanentSendFailure when the relay rejects the message or recipient for good
   */
  public String send(OutboundEmail email) {
    MimeMessage message = new FixedIdMimeMessage(mail.getSession(), email.messageIdHeader());
    try {
      MimeMessageHelper helper = new TextOnlyHelper(message);
      helper.setFrom(new InternetAddress(email.fromAddress(), email.fromName(), "UTF-8"));
      if (email.replyTo() != null) {
        helper.setReplyTo(email.replyTo());
      }
      helper.setTo(email.to());
      helper.setSubject(email.subject());
      helper.setText(email.text(), email.html());
      if (email.inReplyTo() != null) {
        // RFC 5322 threading: the follow-up answers the hook, the thread's only ancestor.
        message.setHeader("In-Reply-To", email.inReplyTo());
        message.setHeader("References", email.inReplyTo());
      }
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
      message.setSentDate(new Date());
      message.saveChanges();
    } catch (MessagingException | UnsupportedEncodingException e) {
      throw new PermanentSendFailure("invalid_message", e.getMessage(), e);
    }
    handOver(message);
    return email.messageIdHeader();
  }

  private void handOver(MimeMessage message) {
    SmtpConnectionPool.Lent lent;
    try {
      lent = connections.borrow();
    } catch (MessagingException e) {
      throw connectionFailure(e);
    }
    try {
      sendOver(lent.transport(), message);
    } catch (MessagingException | RuntimeException e) {
      connections.discard(lent.transport());
      if (!lent.reused() || !lostConnection(e)) {
        throw handOverFailure(e);
      }
      // The relay dropped a connection kept open (restart, idle timeout) and answered nothing: send
      // once more on a new one. Should the lost connection have taken the message after all, this
      // is the resend with the same Message-ID and content that a retry of the step would make.
      Transport fresh;
      try {
        fresh = connections.connect();
      } catch (MessagingException connect) {
        throw connectionFailure(connect);
      }
      try {
        sendOver(fresh, message);
      } catch (MessagingException | RuntimeException again) {
        connections.discard(fresh);
        throw handOverFailure(again);
      }
      connections.giveBack(fresh);
      return;
    }
    connections.giveBack(lent.transport());
  }

  private static void sendOver(Transport transport, MimeMessage message) throws MessagingException {
    transport.sendMessage(message, message.getAllRecipients());
  }

  /**
   * No SMTP reply at all: the connection broke, as opposed to the relay refusing something. Angus
   * Mail reports a reply that never came in two ways, depending on whether the write or the read
   * noticed the closed socket first: as an I/O failure, or as a refusal with return code -1 and
   * "[EOF]" for its text.
   */
  static boolean lostConnection(Exception e) {
    if (e instanceof SMTPSendFailedException refused) {
      return refused.getReturnCode() < 0;
    }
    if (e instanceof SMTPAddressFailedException refused) {
      return refused.getReturnCode() < 0;
    }
    return !(e instanceof SendFailedException);
  }

  private static RuntimeException connectionFailure(MessagingException e) {
    if (e instanceof AuthenticationFailedException) {
      return new MailAuthenticationException(e);
    }
    return new MailSendException("could not connect to the SMTP relay: " + e.getMessage(), e);
  }

  private static RuntimeException handOverFailure(Exception e) {
    if (isPermanent(e)) {
      return new PermanentSendFailure("smtp_rejected", rootMessage(e), e);
    }
    return new MailSendException("SMTP hand-over failed: " + e.getMessage(), e);
  }

  @Override
  public void destroy() {
    connections.close();
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

  /**
   * Spring's helper reads the {@code mime.types} table from its jar for every message it is given
   * (for attachments, which these messages never have); one table serves them all.
   */
  private static final class TextOnlyHelper extends MimeMessageHelper {
    private static final FileTypeMap FILE_TYPES = new ConfigurableMimeFileTypeMap();

    static {
      ((ConfigurableMimeFileTypeMap) FILE_TYPES).afterPropertiesSet();
    }

    TextOnlyHelper(MimeMessage message) throws MessagingException {
      super(message, true, StandardCharsets.UTF_8.name());
    }

    @Override
    protected FileTypeMap getDefaultFileTypeMap(MimeMessage mimeMessage) {
      return FILE_TYPES;
    }
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
