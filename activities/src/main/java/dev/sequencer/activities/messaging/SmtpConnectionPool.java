package dev.sequencer.activities.messaging;

import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Connected SMTP transports kept open between sends. Opening one costs a TCP handshake, a greeting,
 * EHLO and, against a real relay, STARTTLS and AUTH: several round trips per message that a
 * campaign sending thousands of messages to one relay need not pay each time.
 *
 * <p>A transport is lent to one send at a time and given back only after a send that succeeded; a
 * failed one is closed, so no connection left mid-transaction is reused. One idle for a while is
 * checked with NOOP before it is lent, and one idle past the relay's likely timeout is closed.
 */
final class SmtpConnectionPool implements AutoCloseable {

  /** Idle longer than this, a transport is checked with NOOP before it is lent. */
  static final Duration CHECK_AFTER = Duration.ofSeconds(5);

  /**
   * Idle longer than this, a transport is closed: RFC 5321 lets a server drop a client that stays
   * silent for 5 minutes, and many relays do it sooner.
   */
  static final Duration CLOSE_AFTER = Duration.ofSeconds(60);

  private final JavaMailSenderImpl mail;
  private final int maxIdle;
  private final LongSupplier nanoTime;
  private final Deque<Idle> idle = new ArrayDeque<>();
  private boolean closed;

  SmtpConnectionPool(JavaMailSenderImpl mail, int maxIdle) {
    this(mail, maxIdle, System::nanoTime);
  }

  SmtpConnectionPool(JavaMailSenderImpl mail, int maxIdle, LongSupplier nanoTime) {
    this.mail = mail;
    this.maxIdle = maxIdle;
    this.nanoTime = nanoTime;
  }

  /** A connected transport: an idle one that still answers, else a new connection. */
  Lent borrow() throws MessagingException {
    while (true) {
      Idle candidate;
      synchronized (this) {
        candidate = idle.pollFirst();
      }
      if (candidate == null) {
        return new Lent(connect(), false);
      }
      long idleNanos = nanoTime.getAsLong() - candidate.since();
      if (idleNanos > CLOSE_AFTER.toNanos()) {
        closeQuietly(candidate.transport());
      } else if (idleNanos <= CHECK_AFTER.toNanos() || candidate.transport().isConnected()) {
        // Angus Mail's isConnected() sends NOOP and closes the transport when it gets no 250.
        return new Lent(candidate.transport(), true);
      }
    }
  }

  /** Takes back a transport whose last send succeeded. */
  void giveBack(Transport transport) {
    synchronized (this) {
      if (!closed && idle.size() < maxIdle) {
        idle.addFirst(new Idle(transport, nanoTime.getAsLong()));
        return;
      }
    }
    closeQuietly(transport);
  }

  /** Closes a transport whose send failed: its connection may be mid-transaction or gone. */
  void discard(Transport transport) {
    closeQuietly(transport);
  }

  synchronized int idleCount() {
    return idle.size();
  }

  @Override
  public void close() {
    Deque<Idle> toClose;
    synchronized (this) {
      closed = true;
      toClose = new ArrayDeque<>(idle);
      idle.clear();
    }
    toClose.forEach(each -> closeQuietly(each.transport()));
  }

  /** A new connection, as Spring's {@link JavaMailSenderImpl} opens one. */
  Transport connect() throws MessagingException {
    String username = mail.getUsername();
    String password = mail.getPassword();
    if ("".equals(username)) {
      // An empty placeholder means no authentication, as it does for Spring's sender.
      username = null;
      if ("".equals(password)) {
        password = null;
      }
    }
    String protocol = mail.getProtocol() == null ? "smtp" : mail.getProtocol();
    Transport transport = mail.getSession().getTransport(protocol);
    transport.connect(mail.getHost(), mail.getPort(), username, password);
    return transport;
  }

  private static void closeQuietly(Transport transport) {
    try {
      transport.close();
    } catch (MessagingException | RuntimeException ignored) {
      // The connection is being dropped either way; QUIT is a courtesy.
    }
  }

  private record Idle(Transport transport, long since) {}

  /**
   * A transport lent to one send; {@code reused} when it had been idle in the pool, where the relay
   * may have dropped it since.
   */
  record Lent(Transport transport, boolean reused) {}
}
