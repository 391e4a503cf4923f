package dev.sequencer.api.inbound.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.api.pulse.InboundMeters;
import dev.sequencer.app.SequencerApplication;
import dev.sequencer.config.SequencerProperties;
import dev.sequencer.store.inbound.ImapCursors;
import dev.sequencer.store.inbound.InboundMessages;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The IMAP poller against the embedded GreenMail: a poller that restarts (a new instance on the
 * same database), or even loses its cursor, processes no message twice, and mail is never deleted.
 */
class ImapPollerRestartTest {

  private static ConfigurableApplicationContext context;
  private static int smtpPort;
  private static int imapPort;

  @BeforeAll
  static void start() throws IOException {
    smtpPort = freePort();
    imapPort = freePort();
    // The scheduled poll is pushed out of the way: this test drives the poller itself.
    context =
        SequencerApplication.start(
            "--server.port=0",
            "--sequencer.embedded.temporal-port=" + freePort(),
            "--sequencer.embedded.smtp-port=" + smtpPort,
            "--sequencer.embedded.imap-port=" + imapPort,
            "--sequencer.imap.poll-interval=1h",
            "--sequencer.imap.initial-delay=1h",
            "--spring.main.banner-mode=off");
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  @Test
  void aRestartedPollerProcessesNothingTwiceAndDeletesNothing() throws Exception {
    JdbcClient jdbc = context.getBean(JdbcClient.class);
    jdbc.sql(
            "insert into organizations (id, name) values ('org_imap', 'IMAP') on conflict do nothing")
        .update();
    jdbc.sql(
            "insert into campaigns (id, organization_id, name, channel, status, sender_email,"
                + " timezone, business_days, created_at, updated_at, version)"
                + " values ('cmp_imap', 'org_imap', 'IMAP', 'EMAIL', 'RUNNING', 'inbox@imap.test',"
                + " 'UTC', 'MON', now(), now(), 0)")
        .update();
    deliver("first@example.com", "Hello", "A question about your offer.");
    deliver("second@example.com", "Automatic reply: Hello", "I am out of the office until Monday.");

    ImapPoller poller = context.getBean(ImapPoller.class);
    poller.pollAll();
    assertThat(processed(jdbc)).isEqualTo(2);

    ImapPoller restarted =
        new ImapPoller(
            context.getBean(SequencerProperties.class),
            context.getBean(ImapCursors.class),
            context.getBean(InboundMessages.class),
            context.getBean(InboundMail.class),
            jdbc,
            context.getBean(Clock.class),
            context.getBean(InboundMeters.class),
            context.getBean(dev.sequencer.store.sender.Senders.class),
            "scheduled",
            java.time.Duration.ofSeconds(5),
            java.time.Duration.ofMinutes(10));
    restarted.pollAll();
    assertThat(processed(jdbc)).isEqualTo(2);

    // Even without its cursor, the record of processed messages keeps it from reading twice.
    jdbc.sql("delete from imap_cursors").update();
    restarted.pollAll();
    assertThat(processed(jdbc)).isEqualTo(2);
    assertThat(
            jdbc.sql("select classification from inbound_messages order by id")
                .query(String.class)
                .list())
        .containsExactly("neutral", "out_of_office");

    deliver("third@example.com", "Later", "One more thing.");
    restarted.pollAll();
    assertThat(processed(jdbc)).isEqualTo(3);
    assertThat(mailboxSize("inbox@imap.test")).isEqualTo(3);
  }

  private static long processed(JdbcClient jdbc) {
    return jdbc.sql("select count(*) from inbound_messages").query(Long.class).single();
  }

  private static void deliver(String from, String subject, String body) throws Exception {
    Properties properties = new Properties();
    properties.put("mail.smtp.host", "127.0.0.1");
    properties.put("mail.smtp.port", String.valueOf(smtpPort));
    MimeMessage message = new MimeMessage(Session.getInstance(properties));
    message.setFrom(new InternetAddress(from));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress("inbox@imap.test"));
    message.setSubject(subject);
    message.setText(body);
    Transport.send(message);
  }

  private static int mailboxSize(String address) throws Exception {
    Store store = Session.getInstance(new Properties()).getStore("imap");
    store.connect("127.0.0.1", imapPort, address, address);
    try {
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      return inbox.getMessageCount();
    } finally {
      store.close();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
