package dev.sequencer.store.health;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Sends, bounces and complaints per campaign and per sender (the subject is the id of either),
 * counted as they happen: each count returns the subject's totals after it, in one statement.
 */
@Repository
public class SendHealth {

  /** A subject's totals. */
  public record Totals(int sent, int bounced, int complained) {
    public double bounceRate() {
      return sent == 0 ? 0 : (double) bounced / sent;
    }

    public double complaintRate() {
      return sent == 0 ? 0 : (double) complained / sent;
    }
  }

  private final JdbcClient jdbc;

  public SendHealth(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Totals sent(String subject) {
    return count(subject, "sent");
  }

  public Totals bounced(String subject) {
    return count(subject, "bounced");
  }

  public Totals complained(String subject) {
    return count(subject, "complained");
  }

  /** Notes that a message was reported as {@code kind}; false when it had been before. */
  public boolean firstReport(String messageId, String kind) {
    return jdbc.sql(
                "insert into send_health_events (message_id, kind) values (?, ?)"
                    + " on conflict do nothing")
            .params(messageId, kind)
            .update()
        > 0;
  }

  public Totals of(String subject) {
    return jdbc.sql("select sent, bounced, complained from send_health where subject = ?")
        .param(subject)
        .query((rs, n) -> new Totals(rs.getInt(1), rs.getInt(2), rs.getInt(3)))
        .optional()
        .orElse(new Totals(0, 0, 0));
  }

  private Totals count(String subject, String column) {
    return jdbc.sql(
            ("insert into send_health as h (subject, %1$s) values (?, 1)"
                    + " on conflict (subject) do update set %1$s = h.%1$s + 1"
                    + " returning sent, bounced, complained")
                .formatted(column))
        .param(subject)
        .query((rs, n) -> new Totals(rs.getInt(1), rs.getInt(2), rs.getInt(3)))
        .single();
  }
}
