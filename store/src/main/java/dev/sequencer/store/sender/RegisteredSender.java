package dev.sequencer.store.sender;

import dev.sequencer.store.campaign.Channel;
import java.time.Instant;

/**
 * An address (email) or number (SMS) an organization sends from.
 *
 * @param address the lower-case email address or the E.164 number
 * @param registeredBy {@code api}, {@code first_use} (a development start registering a campaign's
 *     inline sender) or {@code migration}
 */
public record RegisteredSender(
    String id,
    String organizationId,
    Channel channel,
    String address,
    String name,
    String registeredBy,
    Instant createdAt) {}
