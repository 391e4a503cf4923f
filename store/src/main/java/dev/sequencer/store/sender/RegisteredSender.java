package dev.sequencer.store.sender;

import dev.sequencer.store.campaign.Channel;
import java.time.Instant;

/**
 * An address (email) or number (SMS) an organization sends from, with its capacity, status and own
 * accounts. Secrets are open here, in memory only; {@link #toString()} leaves them out.
 *
 * @param address the lower-case email address or the E.164 number
 * @param registeredBy {@code api}, {@code first_use} (a development start registering a campaign's
 *     inline sender) or {@code migration}
 * @param pausedBy {@code person} or {@code auto} (its bounce or complaint rate), null when active
 * @param smtp its own SMTP account, or null for the service's relay
 * @param imap its own mailbox for replies, or null
 * @param dkim its DKIM key, or null for unsigned mail
 */
public record RegisteredSender(
    String id,
    String organizationId,
    Channel channel,
    String address,
    String name,
    String registeredBy,
    Instant createdAt,
    SenderCapacity capacity,
    SenderStatus status,
    String pauseReason,
    String pausedBy,
    SmtpSettings smtp,
    ImapSettings imap,
    DkimSettings dkim) {

  /** The settings a sender is registered or changed with. */
  public record Settings(
      SenderCapacity capacity, SmtpSettings smtp, ImapSettings imap, DkimSettings dkim) {
    public static Settings none() {
      return new Settings(SenderCapacity.unlimited(), null, null, null);
    }
  }

  public Settings settings() {
    return new Settings(capacity, smtp, imap, dkim);
  }

  public boolean paused() {
    return status == SenderStatus.PAUSED;
  }
}
