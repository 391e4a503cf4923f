package dev.sequencer.activities.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** Sends over a sender's own SMTP account, beside the service's relay. */
class EmailSenderSmtpAccountTest {

  private GreenMail serviceRelay;
  private GreenMail ownRelay;
  private EmailSender sender;

  @BeforeEach
  void startRelays() {
    serviceRelay = TestRelays.started(GreenMailConfiguration.aConfig());
    ownRelay = TestRelays.started(GreenMailConfiguration.aConfig().withUser("ada", "s3cret"));
    sender = TestRelays.senderTo(serviceRelay);
  }

  @AfterEach
  void stopRelays() {
    sender.destroy();
    serviceRelay.stop();
    ownRelay.stop();
  }

  @Test
  void anEmailWithAnAccountGoesToThatAccountsRelayOnly() throws Exception {
    sender.send(email("<own-1@sequencer.test>", account("s3cret")));
    sender.send(email("<own-2@sequencer.test>", account("s3cret")));

    assertThat(ownRelay.getReceivedMessages())
        .extracting(message -> message.getMessageID())
        .containsExactly("<own-1@sequencer.test>", "<own-2@sequencer.test>");
    assertThat(serviceRelay.getReceivedMessages()).isEmpty();
    // Both sends went over one kept connection of the account's pool.
    assertThat(sender.pool(account("s3cret")).idleCount()).isEqualTo(1);
  }

  @Test
  void anEmailWithoutAnAccountStillGoesToTheServiceRelay() throws Exception {
    sender.send(email("<own@sequencer.test>", account("s3cret")));
    sender.send(email("<service@sequencer.test>", null));

    assertThat(serviceRelay.getReceivedMessages())
        .extracting(message -> message.getMessageID())
        .containsExactly("<service@sequencer.test>");
    assertThat(ownRelay.getReceivedMessages())
        .extracting(message -> message.getMessageID())
        .containsExactly("<own@sequencer.test>");
  }

  @Test
  void aWrongPasswordIsAnAuthenticationFailureAndNothingIsSent() {
    assertThatThrownBy(() -> sender.send(email("<own@sequencer.test>", account("wrong"))))
        .isInstanceOf(MailAuthenticationException.class)
        .isNotInstanceOf(PermanentSendFailure.class);

    assertThat(ownRelay.getReceivedMessages()).isEmpty();
    assertThat(serviceRelay.getReceivedMessages()).isEmpty();
  }

  @Test
  void eachDistinctAccountHasItsOwnPoolAndDestroyClosesThem() throws Exception {
    SmtpConnectionPool pool = sender.pool(account("s3cret"));
    assertThat(sender.pool(account("s3cret"))).isSameAs(pool);
    assertThat(sender.pool(account("other"))).isNotSameAs(pool);
    assertThat(sender.pool(null)).isNotSameAs(pool);
    sender.send(email("<own@sequencer.test>", account("s3cret")));
    assertThat(pool.idleCount()).isEqualTo(1);

    sender.destroy();

    assertThat(pool.idleCount()).isZero();
  }

  @Test
  void theAccountsLeastRecentlyUsedArePushedOutAndClosed() throws Exception {
    sender.send(email("<own@sequencer.test>", account("s3cret")));
    SmtpConnectionPool first = sender.pool(account("s3cret"));
    assertThat(first.idleCount()).isEqualTo(1);

    for (int i = 0; i < EmailSender.ACCOUNTS; i++) {
      sender.pool(new SmtpAccount("127.0.0.1", ownRelay.getSmtp().getPort(), "u" + i, "p", false));
    }

    assertThat(first.idleCount()).isZero();
    assertThat(sender.pool(account("s3cret"))).isNotSameAs(first);
  }

  @Test
  void anAccountsRelayKeepsTheServiceTimeOutsAndUsesItsOwnSecurity() {
    JavaMailSenderImpl tls =
        sender.relay(new SmtpAccount("smtp.acme.test", 587, "ada", "s3cret", true));

    assertThat(tls.getHost()).isEqualTo("smtp.acme.test");
    assertThat(tls.getPort()).isEqualTo(587);
    assertThat(tls.getUsername()).isEqualTo("ada");
    assertThat(tls.getPassword()).isEqualTo("s3cret");
    assertThat(tls.getJavaMailProperties())
        .containsEntry("mail.smtp.timeout", "5000")
        .containsEntry("mail.smtp.auth", "true")
        .containsEntry("mail.smtp.starttls.enable", "true")
        .containsEntry("mail.smtp.starttls.required", "true");

    JavaMailSenderImpl plain =
        sender.relay(new SmtpAccount("smtp.acme.test", 25, null, null, false));

    assertThat(plain.getJavaMailProperties())
        .containsEntry("mail.smtp.auth", "false")
        .containsEntry("mail.smtp.starttls.enable", "false");
  }

  @Test
  void anAccountIsPrintedWithoutItsPassword() {
    SmtpAccount account = new SmtpAccount("smtp.acme.test", 587, "ada", "hunter2-secret", true);

    assertThat(account.toString())
        .contains("smtp.acme.test", "587", "ada")
        .doesNotContain("hunter2-secret");
    assertThatThrownBy(() -> new SmtpAccount(" ", 587, null, null, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SmtpAccount("smtp.acme.test", 0, null, null, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private SmtpAccount account(String password) {
    return new SmtpAccount("127.0.0.1", ownRelay.getSmtp().getPort(), "ada", password, false);
  }

  private static OutboundEmail email(String messageId, SmtpAccount smtp) {
    return TestRelays.hello(messageId, "lead@example.com", smtp);
  }
}
