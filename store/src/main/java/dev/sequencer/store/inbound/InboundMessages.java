package dev.sequencer.store.inbound;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The inbound messages already processed, by source and a key unique within it (an IMAP mailbox's
 * UIDVALIDITY and UID, a Message-ID, a Twilio SID), so nothing is processed twice.
 */
@Repository
public class InboundMessages {

  private final JdbcClient jdbc;

  public InboundMessages(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Claims the message; false when it was processed before. */
  public boolean claim(String source, String sourceKey, String from, String subject, Instant at) {
    return jdbc.sql(
                "insert into inbound_messages (source, source_key, from_address, subject,"
                    + " received_at) values (?, ?, ?, ?, ?) on conflict do nothing")
            .params(source, sourceKey, from, subject, Timestamp.from(at))
            .update()
        > 0;
  }

  public void outcome(
      String source, String sourceKey, String organizationId, String classification, int matched) {
    jdbc.sql(
            "update inbound_messages set organization_id = ?, classification = ?,"
                + " matched_leads = ? where source = ? and source_key = ?")
        .params(organizationId, classification, matched, source, sourceKey)
        .update();
  }

  /** Gives a claim back after processing failed, so the sender's retry is processed. */
  public void release(String source, String sourceKey) {
    jdbc.sql("delete from inbound_messages where source = ? and source_key = ?")
        .params(source, sourceKey)
        .update();
  }
}
