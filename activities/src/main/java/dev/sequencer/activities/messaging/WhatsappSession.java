package dev.sequencer.activities.messaging;

import dev.sequencer.store.inbound.WhatsappSessions;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * WhatsApp's customer-service window: free text only within 24 hours of the lead's last message.
 */
@Component
class WhatsappSession {

  static final Duration WINDOW = Duration.ofHours(24);

  private final WhatsappSessions sessions;

  WhatsappSession(WhatsappSessions sessions) {
    this.sessions = sessions;
  }

  /**
   * @param business the number the step sends from: the window is that conversation's
   */
  boolean open(String organizationId, String business, String address, Instant now) {
    return sessions
        .lastInbound(organizationId, business, address)
        .map(last -> now.isBefore(last.plus(WINDOW)))
        .orElse(false);
  }
}
