package dev.sequencer.store.inbound;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * When each WhatsApp number last wrote to the organization. WhatsApp lets a business answer with
 * free text for 24 hours after that; outside the window only an approved template may be sent.
 */
@Repository
public class WhatsappSessions {

  private final JdbcClient jdbc;

  public WhatsappSessions(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public void inbound(String organizationId, String address, Instant at) {
    jdbc.sql(
            """
            insert into whatsapp_sessions (organization_id, address, last_inbound_at)
            values (?, ?, ?)
            on conflict (organization_id, address) do update
               set last_inbound_at = greatest(whatsapp_sessions.last_inbound_at,
                                              excluded.last_inbound_at)
            """)
        .params(organizationId, address, Timestamp.from(at))
        .update();
  }

  public Optional<Instant> lastInbound(String organizationId, String address) {
    return jdbc.sql(
            "select last_inbound_at from whatsapp_sessions where organization_id = ?"
                + " and address = ?")
        .params(organizationId, address)
        .query((rs, n) -> rs.getTimestamp(1).toInstant())
        .optional();
  }
}
