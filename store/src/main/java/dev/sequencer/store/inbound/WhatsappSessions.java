package dev.sequencer.store.inbound;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * When each WhatsApp number last wrote to each of the organization's business numbers. WhatsApp
 * lets a business answer with free text for 24 hours after that; outside the window only an
 * approved template may be sent.
 */
@Repository
public class WhatsappSessions {

  private final JdbcClient jdbc;

  public WhatsappSessions(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * @param business the organization's number it was sent to
   * @param address the number it came from
   */
  public void inbound(String organizationId, String business, String address, Instant at) {
    jdbc.sql(
            """
            insert into whatsapp_sessions (organization_id, business, address, last_inbound_at)
            values (?, ?, ?, ?)
            on conflict (organization_id, business, address) do update
               set last_inbound_at = greatest(whatsapp_sessions.last_inbound_at,
                                              excluded.last_inbound_at)
            """)
        .params(organizationId, business, address, Timestamp.from(at))
        .update();
  }

  public Optional<Instant> lastInbound(String organizationId, String business, String address) {
    return jdbc.sql(
            "select last_inbound_at from whatsapp_sessions where organization_id = ?"
                + " and business = ? and address = ?")
        .params(organizationId, business, address)
        .query((rs, n) -> rs.getTimestamp(1).toInstant())
        .optional();
  }
}
