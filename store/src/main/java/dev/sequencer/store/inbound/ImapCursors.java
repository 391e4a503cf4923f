package dev.sequencer.store.inbound;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** How far the IMAP poller has read each mailbox, by UID. */
@Repository
public class ImapCursors {

  /** The last UID processed in a mailbox, valid for one UIDVALIDITY. */
  public record Cursor(long uidValidity, long lastUid) {}

  private final JdbcClient jdbc;

  public ImapCursors(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<Cursor> of(String mailbox) {
    return jdbc.sql("select uid_validity, last_uid from imap_cursors where mailbox = ?")
        .param(mailbox)
        .query((rs, i) -> new Cursor(rs.getLong("uid_validity"), rs.getLong("last_uid")))
        .optional();
  }

  public void advance(String mailbox, long uidValidity, long lastUid) {
    jdbc.sql(
            """
            insert into imap_cursors (mailbox, uid_validity, last_uid) values (?, ?, ?)
            on conflict (mailbox) do update
               set uid_validity = excluded.uid_validity, last_uid = excluded.last_uid,
                   updated_at = now()
            """)
        .params(mailbox, uidValidity, lastUid)
        .update();
  }
}
