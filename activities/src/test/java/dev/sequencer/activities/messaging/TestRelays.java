package dev.sequencer.activities.messaging;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.util.Properties;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** SMTP servers and messages for the sender's tests. */
final class TestRelays {

  private TestRelays() {}

  /** A GreenMail SMTP server on a free port of the loopback address, started. */
  static GreenMail started(GreenMailConfiguration configuration) {
    GreenMail relay =
        new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
            .withConfiguration(configuration);
    relay.start();
    return relay;
  }

  /** A sender whose service relay is {@code relay}. */
  static EmailSender senderTo(GreenMail relay) {
    return new EmailSender(serviceRelay(relay.getSmtp().getPort()));
  }

  /** The service's relay on {@code port} as the worker configures it, plain, short time-outs. */
  static JavaMailSenderImpl serviceRelay(int port) {
    JavaMailSenderImpl mail = new JavaMailSenderImpl();
    mail.setHost("127.0.0.1");
    mail.setPort(port);
    Properties smtp = new Properties();
    smtp.put("mail.smtp.starttls.enable", "false");
    smtp.put("mail.smtp.connectiontimeout", "5000");
    smtp.put("mail.smtp.timeout", "5000");
    mail.setJavaMailProperties(smtp);
    return mail;
  }

  /** A short plain email from Ada, through {@code smtp} (null: the service's relay), unsigned. */
  static OutboundEmail hello(String messageId, String to, SmtpAccount smtp) {
    return new OutboundEmail(
        messageId,
        "ada@acme.test",
        "Ada",
        null,
        to,
        "Hello " + to,
        "Hi there",
        "<p>Hi there</p>",
        null,
        null,
        null,
        smtp,
        null);
  }
}
