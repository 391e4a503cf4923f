package dev.sequencer.activities.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Transport;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** Connections kept open between sends, against a real SMTP server that can be restarted. */
class SmtpConnectionPoolTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private int port;
  private GreenMail relay;
  private JavaMailSenderImpl mail;

  @BeforeEach
  void startRelay() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    relay = startedRelay();
    mail = TestRelays.serviceRelay(port);
  }

  @AfterEach
  void stopRelay() {
    relay.stop();
  }

  @Test
  void aTransportGivenBackIsLentAgainInsteadOfANewConnection() throws Exception {
    try (SmtpConnectionPool pool = new SmtpConnectionPool(mail, 2, nanos::get)) {
      SmtpConnectionPool.Lent first = pool.borrow();
      assertThat(first.reused()).isFalse();
      pool.giveBack(first.transport());

      SmtpConnectionPool.Lent second = pool.borrow();

      assertThat(second.reused()).isTrue();
      assertThat(second.transport()).isSameAs(first.transport());
      assertThat(second.transport().isConnected()).isTrue();
    }
  }

  @Test
  void aTransportIdleAMinuteIsClosedAndReplaced() throws Exception {
    try (SmtpConnectionPool pool = new SmtpConnectionPool(mail, 2, nanos::get)) {
      Transport first = pool.borrow().transport();
      pool.giveBack(first);
      nanos.addAndGet(Duration.ofSeconds(61).toNanos());

      SmtpConnectionPool.Lent next = pool.borrow();

      assertThat(next.reused()).isFalse();
      assertThat(next.transport()).isNotSameAs(first);
      assertThat(pool.idleCount()).isZero();
    }
  }

  @Test
  void aTransportIdleSecondsIsCheckedWithNoopAndKeptWhenTheRelayAnswers() throws Exception {
    try (SmtpConnectionPool pool = new SmtpConnectionPool(mail, 2, nanos::get)) {
      Transport first = pool.borrow().transport();
      pool.giveBack(first);
      nanos.addAndGet(Duration.ofSeconds(10).toNanos());

      assertThat(pool.borrow().transport()).isSameAs(first);
    }
  }

  @Test
  void aTransportTheRelayDroppedWhileIdleIsReplacedAfterItsNoopFails() throws Exception {
    try (SmtpConnectionPool pool = new SmtpConnectionPool(mail, 2, nanos::get)) {
      Transport first = pool.borrow().transport();
      pool.giveBack(first);
      relay.stop();
      relay = startedRelay();
      nanos.addAndGet(Duration.ofSeconds(10).toNanos());

      SmtpConnectionPool.Lent next = pool.borrow();

      assertThat(next.reused()).isFalse();
      assertThat(next.transport()).isNotSameAs(first);
    }
  }

  @Test
  void noMoreThanMaxIdleTransportsStayOpen() throws Exception {
    try (SmtpConnectionPool pool = new SmtpConnectionPool(mail, 2, nanos::get)) {
      Transport a = pool.borrow().transport();
      Transport b = pool.borrow().transport();
      Transport c = pool.borrow().transport();

      pool.giveBack(a);
      pool.giveBack(b);
      pool.giveBack(c);

      assertThat(pool.idleCount()).isEqualTo(2);
      assertThat(c.isConnected()).isFalse();
    }
  }

  @Test
  void closingThePoolClosesItsIdleTransports() throws Exception {
    SmtpConnectionPool pool = new SmtpConnectionPool(mail, 2, nanos::get);
    Transport idle = pool.borrow().transport();
    pool.giveBack(idle);

    pool.close();

    assertThat(idle.isConnected()).isFalse();
    Transport late = pool.connect();
    pool.giveBack(late);
    assertThat(pool.idleCount()).isZero();
  }

  @Test
  void theSenderSendsOneMessageAfterAnotherOverOneConnection() throws Exception {
    EmailSender sender = new EmailSender(mail);
    try {
      sender.send(email("<one@sequencer.test>", "a@example.com"));
      sender.send(email("<two@sequencer.test>", "b@example.com"));

      assertThat(relay.getReceivedMessages())
          .extracting(message -> message.getMessageID())
          .containsExactly("<one@sequencer.test>", "<two@sequencer.test>");
      assertThat(relay.getReceivedMessages()[1].getSubject()).isEqualTo("Hello b@example.com");
    } finally {
      sender.destroy();
    }
  }

  @Test
  void aRelayRestartedBetweenSendsCostsTheNextSendNothing() throws Exception {
    EmailSender sender = new EmailSender(mail);
    try {
      sender.send(email("<before@sequencer.test>", "a@example.com"));
      relay.stop();
      relay = startedRelay();

      sender.send(email("<after@sequencer.test>", "b@example.com"));

      assertThat(relay.getReceivedMessages())
          .extracting(message -> message.getMessageID())
          .containsExactly("<after@sequencer.test>");
    } finally {
      sender.destroy();
    }
  }

  @Test
  void aKeptConnectionClosedWithoutAReplyIsReplacedAndTheMessageSentOnce() throws Exception {
    try (ScriptedSmtpRelay scripted = new ScriptedSmtpRelay()) {
      JavaMailSenderImpl toScripted = new JavaMailSenderImpl();
      toScripted.setHost("127.0.0.1");
      toScripted.setPort(scripted.port());
      EmailSender sender = new EmailSender(toScripted);
      try {
        sender.send(email("<first@sequencer.test>", "a@example.com"));
        // The relay reads MAIL FROM and closes: Angus Mail reads EOF, a refusal with code -1.
        scripted.dropAtNextMail();

        sender.send(email("<second@sequencer.test>", "b@example.com"));

        assertThat(scripted.messageIds())
            .containsExactly("<first@sequencer.test>", "<second@sequencer.test>");
        assertThat(scripted.connections()).isEqualTo(2);
      } finally {
        sender.destroy();
      }
    }
  }

  private static OutboundEmail email(String messageId, String to) {
    return TestRelays.hello(messageId, to, null);
  }

  private GreenMail startedRelay() {
    GreenMail started =
        new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    started.start();
    return started;
  }
}
