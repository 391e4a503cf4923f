package dev.sequencer.api.control;

import dev.sequencer.store.message.Messages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Waits for messages whose hand-over to the provider began before a consent change committed. A
 * send commits its attempt under the lead's lock and hands it over afterwards, holding no lock or
 * connection; so a pause, stop or opt-out that has committed waits here, outside any transaction,
 * until those hand-overs are done — then, when the call returns, nothing more of that lead or
 * campaign goes out (every later attempt sees the change).
 */
@Component
public class HandOversInFlight {

  /**
   * The longest a hand-over can take (the SMTP client's connect and write timeouts). A hand-over
   * still marked in progress after this belongs to a worker that died: it sends nothing more.
   */
  static final Duration LONGEST_HAND_OVER = Duration.ofSeconds(45);

  private static final long POLL_MILLIS = 20;

  private final Messages messages;
  private final Clock clock;

  public HandOversInFlight(Messages messages, Clock clock) {
    this.messages = messages;
    this.clock = clock;
  }

  public void awaitLead(String campaignId, long leadPk) {
    await(campaignId, leadPk);
  }

  public void awaitCampaign(String campaignId) {
    await(campaignId, null);
  }

  private void await(String campaignId, Long leadPk) {
    long deadline = System.nanoTime() + LONGEST_HAND_OVER.toNanos();
    while (messages.handingOver(campaignId, leadPk, Instant.now(clock)) > 0
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
