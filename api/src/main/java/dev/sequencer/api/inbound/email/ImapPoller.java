package dev.sequencer.api.inbound.email;

import dev.sequencer.api.pulse.InboundMeters;
import dev.sequencer.config.SequencerProperties;
import dev.sequencer.content.MailStreams;
import dev.sequencer.store.inbound.ImapCursors;
import dev.sequencer.store.inbound.InboundMessages;
import dev.sequencer.store.sender.Senders;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reads the sender mailboxes over IMAP for replies, unsubscribes and bounces. Folders are opened
 * read-only, so nothing is ever deleted or flagged; a UID cursor per mailbox (and a record of every
 * processed message) means a restart never processes a message twice.
 *
 * <p>With {@code IMAP_USERNAME} set, it reads that one mailbox (a shared reply inbox). Without it —
 * the embedded default, where GreenMail gives every address a mailbox with the address as user name
 * and password — it reads the mailbox of every sender and reply-to address of the campaigns that
 * are not drafts.
 */
@Component
class ImapPoller {

  private static final Logger log = LoggerFactory.getLogger(ImapPoller.class);

  private final SequencerProperties properties;
  private final ImapCursors cursors;
  private final InboundMessages inbound;
  private final InboundMail mail;
  private final JdbcClient jdbc;
  private final Clock clock;
  private final InboundMeters meters;
  private final Senders senders;
  private final boolean scheduled;
  private final MailboxBackOff backOff;

  ImapPoller(
      SequencerProperties properties,
      ImapCursors cursors,
      InboundMessages inbound,
      InboundMail mail,
      JdbcClient jdbc,
      Clock clock,
      InboundMeters meters,
      Senders senders,
      @org.springframework.beans.factory.annotation.Value("${sequencer.imap.poller:workflow}")
          String poller,
      @org.springframework.beans.factory.annotation.Value("${sequencer.imap.poll-interval:5s}")
          java.time.Duration interval,
      @org.springframework.beans.factory.annotation.Value("${sequencer.imap.max-back-off:10m}")
          java.time.Duration maxBackOff) {
    this.backOff = new MailboxBackOff(interval, maxBackOff, System::nanoTime);
    this.senders = senders;
    this.scheduled = "scheduled".equals(poller);
    this.properties = properties;
    this.cursors = cursors;
    this.inbound = inbound;
    this.mail = mail;
    this.jdbc = jdbc;
    this.clock = clock;
    this.meters = meters;
  }

  /** A mailbox to read: on the service's IMAP server, or on a sender's own. */
  record Mailbox(String host, int port, boolean ssl, String user, String password, String address) {
    @Override
    public String toString() {
      return user + "@" + host;
    }

    /** The key of its cursor and of its poller workflow. */
    String key() {
      return host + "/" + user;
    }
  }

  /**
   * Every mailbox in turn, from this process: only with {@code sequencer.imap.poller=scheduled}. By
   * default each mailbox has a poller workflow of its own ({@link MailboxPollers}).
   */
  @Scheduled(
      fixedDelayString = "${sequencer.imap.poll-interval:5s}",
      initialDelayString = "${sequencer.imap.initial-delay:2s}")
  void poll() {
    if (!scheduled) {
      return;
    }
    pollAll();
  }

  /** Reads every mailbox once. */
  void pollAll() {
    for (Mailbox mailbox : mailboxes()) {
      if (!backOff.due(mailbox.key())) {
        continue;
      }
      try {
        meters.mailboxPoll("ok", read(mailbox));
        int failed = backOff.succeeded(mailbox.key());
        if (failed > 0) {
          log.info("mailbox {} is read again after {} failed reads", mailbox, failed);
        }
      } catch (MessagingException | RuntimeException e) {
        meters.mailboxPoll("error", 0);
        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (backOff.failed(mailbox.key(), error)) {
          log.warn(
              "reading the mailbox {} fails: {} (read again with back-off, reported once)",
              mailbox,
              error);
        }
      }
    }
  }

  /** The mailboxes to read now: of the service's IMAP server and of senders with their own. */
  List<Mailbox> mailboxes() {
    SequencerProperties.Imap imap = properties.imap();
    List<Mailbox> mailboxes = new java.util.ArrayList<>(ownMailboxes());
    if (imap.host() != null && !imap.host().isBlank()) {
      mailboxes.addAll(mailboxes(imap));
    }
    return mailboxes;
  }

  /**
   * One read of the mailbox with this key, as its poller workflow asks for it: gone when no
   * campaign or sender uses it any more.
   */
  dev.sequencer.workflows.mailbox.MailboxPoll poll(String key, Runnable eachMessage) {
    Mailbox mailbox =
        mailboxes().stream().filter(m -> m.key().equals(key)).findFirst().orElse(null);
    if (mailbox == null) {
      return dev.sequencer.workflows.mailbox.MailboxPoll.gone();
    }
    try {
      int processed = read(mailbox, eachMessage);
      meters.mailboxPoll("ok", processed);
      return dev.sequencer.workflows.mailbox.MailboxPoll.read(processed);
    } catch (MessagingException | RuntimeException e) {
      meters.mailboxPoll("error", 0);
      return dev.sequencer.workflows.mailbox.MailboxPoll.failed(
          e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  private List<Mailbox> mailboxes(SequencerProperties.Imap imap) {
    if (imap.username() != null && !imap.username().isBlank()) {
      return List.of(
          new Mailbox(
              imap.host(), imap.port(), imap.ssl(), imap.username(), imap.password(), null));
    }
    // The pools' senders too: a lead's replies go to the mailbox of the sender it was given.
    return jdbc
        .sql(
            "select distinct address from (select sender_email as address from campaigns"
                + " where channel = 'EMAIL' and status <> 'DRAFT' union select sender_reply_to"
                + " from campaigns where channel = 'EMAIL' and status <> 'DRAFT'"
                + " union select s.address from senders s join campaigns c"
                + " on ' ' || c.sender_pool || ' ' like '% ' || s.id || ' %'"
                + " where c.status <> 'DRAFT' and s.imap_host is null) a"
                + " where address is not null")
        .query(String.class)
        .list()
        .stream()
        .map(a -> new Mailbox(imap.host(), imap.port(), imap.ssl(), a, a, a))
        .toList();
  }

  /** The mailboxes of senders registered with IMAP settings of their own. */
  private List<Mailbox> ownMailboxes() {
    return senders.withOwnMailbox().stream()
        .map(
            s ->
                new Mailbox(
                    s.imap().host(),
                    s.imap().port(),
                    s.imap().ssl(),
                    s.imap().username(),
                    s.imap().password(),
                    s.address()))
        .toList();
  }

  /**
   * One session for every read of every mailbox: building one reads Jakarta Mail's provider tables
   * from the class path, which done per poll of each mailbox costs more than the poll.
   */
  private static final Session SESSION = Session.getInstance(sessionProperties());

  static {
    MailStreams.pinProvider();
  }

  private static Properties sessionProperties() {
    Properties session = new Properties();
    session.put("mail.imap.connectiontimeout", "10000");
    session.put("mail.imap.timeout", "30000");
    session.put("mail.imaps.connectiontimeout", "10000");
    session.put("mail.imaps.timeout", "30000");
    return session;
  }

  /** Reads the messages after the mailbox's cursor, one at a time, advancing it after each. */
  int read(Mailbox mailbox) throws MessagingException {
    return read(mailbox, () -> {});
  }

  /**
   * @param eachMessage called before each message is processed (a poller's heartbeat)
   */
  int read(Mailbox mailbox, Runnable eachMessage) throws MessagingException {
    Store store = SESSION.getStore(mailbox.ssl() ? "imaps" : "imap");
    store.connect(mailbox.host(), mailbox.port(), mailbox.user(), mailbox.password());
    int processed = 0;
    try {
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      try {
        UIDFolder uids = (UIDFolder) inbox;
        long validity = uids.getUIDValidity();
        String key = mailbox.key();
        long from =
            cursors
                .of(key)
                .filter(c -> c.uidValidity() == validity)
                .map(c -> c.lastUid() + 1)
                .orElse(1L);
        for (Message message : uids.getMessagesByUID(from, UIDFolder.LASTUID)) {
          long uid = uids.getUID(message);
          if (uid < from) {
            continue; // an empty range answers with the last message
          }
          eachMessage.run();
          processed += handle(key, mailbox, validity, uid, (MimeMessage) message) ? 1 : 0;
          cursors.advance(key, validity, uid);
        }
      } finally {
        inbox.close(false);
      }
    } finally {
      store.close();
    }
    return processed;
  }

  private boolean handle(String key, Mailbox mailbox, long validity, long uid, MimeMessage message)
      throws MessagingException {
    String sourceKey = validity + ":" + uid;
    String from = message.getFrom() == null ? null : message.getFrom()[0].toString();
    if (!inbound.claim("imap:" + key, sourceKey, from, message.getSubject(), clock.instant())) {
      return false;
    }
    try {
      InboundMail.Processed processed = mail.process(mailbox.address(), message);
      inbound.outcome(
          "imap:" + key,
          sourceKey,
          processed.organizationId(),
          processed.outcome(),
          processed.matched());
    } catch (java.io.IOException | MessagingException | RuntimeException e) {
      // One unreadable message must not stop the mailbox: it is recorded and skipped.
      log.warn("message {} in {} could not be processed: {}", uid, key, e.getMessage());
      inbound.outcome("imap:" + key, sourceKey, null, "error", 0);
    }
    return true;
  }
}
