package dev.sequencer.api.console;

import dev.sequencer.store.console.ConsoleSessions;
import java.time.Clock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Deletes console sessions past their expiry, which no request can use any more. */
@Component
class ExpiredSessions {

  private final ConsoleSessions sessions;
  private final Clock clock;

  ExpiredSessions(ConsoleSessions sessions, Clock clock) {
    this.sessions = sessions;
    this.clock = clock;
  }

  @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
  void purge() {
    sessions.purgeExpired(clock.instant());
  }
}
