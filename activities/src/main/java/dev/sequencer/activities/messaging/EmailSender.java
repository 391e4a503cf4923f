package dev.sequencer.activities.messaging;

import dev.sequencer.content.MailStreams;
import jakarta.activation.FileTypeMap;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.simplejavamail.utils.mail.dkim.DkimException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.ConfigurableMimeFileTypeMap;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Sends email over SMTP (Jakarta Mail) with a plain-text and an HTML part, over connections kept
 * open between sends: to the service's relay, or to the sender's own {@link SmtpAccount} when the
 * email names one, DKIM-signed when it carries a {@link DkimKey}.
 */
@Component
public class EmailSender implements DisposableBean {

  static {
    MailStreams.pinProvider();
  }

  /** Connections kept open for the next sends; more than this are closed after their send. */
  static final int IDLE_CONNECTIONS = 8;

  /** Connections kept open for each sender's own account: one sender's share of the traffic. */
  static final int ACCOUNT_IDLE_CONNECTIONS = 2;

  /**
   * Accounts whose connections are kept; the one used least recently is closed past this, and a
   * password changed since makes a new account that soon pushes the old one out.
   */
  static final int ACCOUNTS = 64;

  private final JavaMailSenderImpl mail;
  private final SmtpConnectionPool connections;

  /** Pools of the senders' own accounts, least recently used first; guarded by itself. */
  private final LinkedHashMap<SmtpAccount, SmtpConnectionPool> accounts =
      new LinkedHashMap<>(16, 0.75f, true);

  private boolean destroyed;

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
    if (email.dkim() != null) {
      message = signed(message, email);
    }
    handOver(pool(email.smtp()), message);
    return email.messageIdHeader();
  }

  private static MimeMessage signed(MimeMessage message, OutboundEmail email) {
    try {
      return DkimSigning.sign(message, email.dkim(), email.messageIdHeader());
    } catch (IllegalArgumentException | DkimException e) {
      // The sender's key, domain or selector: every message of the sender would fail the same way.
      throw new PermanentSendFailure("invalid_dkim_key", e.getMessage(), e);
    } catch (MessagingException | IOException e) {
      throw new PermanentSendFailure("invalid_message", e.getMessage(), e);
    }
  }

  /** The pool of the account's relay, made on its first send; null is the service's relay. */
  SmtpConnectionPool pool(SmtpAccount account) {
    if (account == null) {
      return connections;
    }
    SmtpConnectionPool pool;
    SmtpConnectionPool evicted = null;
    synchronized (accounts) {
      pool = accounts.get(account);
      if (pool == null) {
        pool = new SmtpConnectionPool(relay(account), ACCOUNT_IDLE_CONNECTIONS);
        if (destroyed) {
          // Shutting down: connections this send opens are closed after it.
          pool.close();
          return pool;
        }
        accounts.put(account, pool);
        if (accounts.size() > ACCOUNTS) {
          Iterator<SmtpConnectionPool> eldest = accounts.values().iterator();
          evicted = eldest.next();
          eldest.remove();
        }
      }
    }
    if (evicted != null) {
      // A send still holding one of its connections closes it when done (the pool is closed).
      evicted.close();
    }
    return pool;
  }

  /**
   * The account's relay, with the service relay's other settings (time-outs and the like): plain or
   * STARTTLS as the account says, authenticated when it has a username.
   */
  JavaMailSenderImpl relay(SmtpAccount account) {
    JavaMailSenderImpl relay = new JavaMailSenderImpl();
    relay.setProtocol("smtp");
    relay.setHost(account.host());
    relay.setPort(account.port());
    relay.setUsername(account.username());
    relay.setPassword(account.password());
    relay.setDefaultEncoding(mail.getDefaultEncoding());
    Properties properties = new Properties();
    properties.putAll(mail.getJavaMailProperties());
    boolean authenticated = account.username() != null && !account.username().isEmpty();
    properties.put("mail.smtp.auth", String.valueOf(authenticated));
    properties.put("mail.smtp.starttls.enable", String.valueOf(account.starttls()));
    properties.put("mail.smtp.starttls.required", String.valueOf(account.starttls()));
    properties.put("mail.smtp.ssl.enable", "false");
    relay.setJavaMailProperties(properties);
    return relay;
  }

  private static void handOver(SmtpConnectionPool pool, MimeMessage message) {
    SmtpConnectionPool.Lent lent;
    try {
      lent = pool.borrow();
    } catch (MessagingException e) {
      throw connectionFailure(e);
    }
    try {
      sendOver(lent.transport(), message);
    } catch (MessagingException | RuntimeException e) {
      pool.discard(lent.transport());
      if (!lent.reused() || !lostConnection(e)) {
        throw handOverFailure(e);
      }
      // The relay dropped a connection kept open (restart, idle timeout) and answered nothing: send
      // once more on a new one. Should the lost connection have taken the message after all, this
      // is the resend with the same Message-ID and content that a retry of the step would make.
      Transport fresh;
      try {
        fresh = pool.connect();
      } catch (MessagingException connect) {
        throw connectionFailure(connect);
      }
      try {
        sendOver(fresh, message);
      } catch (MessagingException | RuntimeException again) {
        pool.discard(fresh);
        throw handOverFailure(again);
      }
      pool.giveBack(fresh);
      return;
    }
    pool.giveBack(lent.transport());
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
    List<SmtpConnectionPool> pools;
    synchronized (accounts) {
      destroyed = true;
      pools = new ArrayList<>(accounts.values());
      accounts.clear();
    }
    connections.close();
    pools.forEach(SmtpConnectionPool::close);
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
  static final class FixedIdMimeMessage extends MimeMessage {
    private final String messageId;

    FixedIdMimeMessage(jakarta.mail.Session session, String messageId) {
      super(session);
      this.messageId = messageId;
    }

    /** A message read from its bytes (a signed one), sent as they are. */
    FixedIdMimeMessage(jakarta.mail.Session session, InputStream raw, String messageId)
        throws MessagingException {
      super(session, raw);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }
  }
}
