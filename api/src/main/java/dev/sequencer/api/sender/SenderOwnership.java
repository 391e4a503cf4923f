package dev.sequencer.api.sender;

import dev.sequencer.api.error.UnprocessableException;
import dev.sequencer.config.StartupChecks;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.campaign.Sender;
import dev.sequencer.store.sender.RegisteredSender;
import dev.sequencer.store.sender.Senders;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * A campaign sends only from an address or number its organization registered. In production an
 * unregistered sender is refused; in development it is registered on first use, so a quick start
 * with an inline sender works unchanged. Another organization's sender is refused either way, and
 * so is another organization's sender as a reply-to address: replies to it act in that
 * organization.
 */
@Component
public class SenderOwnership {

  private static final Logger log = LoggerFactory.getLogger(SenderOwnership.class);

  private final Senders senders;
  private final boolean production;

  public SenderOwnership(Senders senders, Environment environment) {
    this.senders = senders;
    this.production = StartupChecks.isProduction(environment);
  }

  /**
   * The inline sender of a campaign that sends from a pool: the pool's first sender's address or
   * number, with the inline display name (else the sender's own) and reply-to address. Every sender
   * of the pool must be one of the organization's, for the campaign's channel.
   *
   * @throws UnprocessableException naming the first sender of the pool that is not
   */
  public Sender poolSender(
      String organizationId, Channel channel, List<String> pool, Sender inline) {
    if (pool.isEmpty()) {
      return inline;
    }
    Map<String, RegisteredSender> found = senders.byIds(organizationId, pool);
    for (int i = 0; i < pool.size(); i++) {
      RegisteredSender sender = found.get(pool.get(i));
      if (sender == null) {
        throw UnprocessableException.of(
            "senders[" + i + "]",
            "is not a sender registered by this organization: register it with POST"
                + " /api/v1/senders");
      }
      if (sender.channel() != channel) {
        throw UnprocessableException.of(
            "senders[" + i + "]",
            "is an "
                + sender.channel().wireName()
                + " sender; the campaign sends "
                + channel.wireName());
      }
    }
    RegisteredSender first = found.get(pool.get(0));
    String name = inline.name() != null ? inline.name() : first.name();
    // The inline sender's address of the other channel stays: the steps on it send from there.
    return channel == Channel.EMAIL
        ? new Sender(first.address(), name, inline.phone(), inline.replyTo())
        : new Sender(inline.email(), inline.name(), first.address(), inline.replyTo());
  }

  /**
   * Checks (and in development registers) every address the campaign sends from: its email address
   * when a step goes out by email, its number when one goes out by SMS or WhatsApp.
   */
  public void claim(String organizationId, java.util.Set<Channel> used, Sender sender) {
    if (sender == null) {
      return;
    }
    if (used.contains(Channel.EMAIL) || sender.replyTo() != null) {
      claim(organizationId, Channel.EMAIL, sender);
    }
    if (used.contains(Channel.SMS) || used.contains(Channel.WHATSAPP)) {
      claim(organizationId, Channel.SMS, sender);
    }
  }

  /** Checks (and in development registers) the sender a campaign will send from. */
  public void claim(String organizationId, Channel channel, Sender sender) {
    if (sender == null) {
      return;
    }
    if (sender.replyTo() != null) {
      Optional<String> owner = senders.ownerOf(Channel.EMAIL, sender.replyTo());
      if (owner.isPresent() && !owner.get().equals(organizationId)) {
        throw UnprocessableException.of(
            "sender.reply_to", "is a sender address registered by another organization");
      }
    }
    if (channel != Channel.EMAIL && channel != Channel.SMS) {
      return;
    }
    String field = channel == Channel.EMAIL ? "sender.email" : "sender.phone";
    String address = channel == Channel.EMAIL ? sender.email() : sender.phone();
    if (address == null) {
      return;
    }
    Optional<RegisteredSender> existing = senders.byAddress(channel, address);
    if (existing.isPresent()) {
      if (!existing.get().organizationId().equals(organizationId)) {
        throw takenByAnother(field);
      }
      return;
    }
    if (production) {
      throw UnprocessableException.of(
          field,
          "is not a sender of this organization: register it first with POST /api/v1/senders");
    }
    Senders.Registration registration =
        senders.register(organizationId, channel, address, sender.name(), "first_use");
    if (registration instanceof Senders.Registration.TakenByAnother) {
      throw takenByAnother(field);
    }
    if (registration instanceof Senders.Registration.Owned owned && owned.created()) {
      log.info(
          "sender {} registered for organization {} on first use (development mode)",
          owned.sender().id(),
          organizationId);
    }
  }

  private static UnprocessableException takenByAnother(String field) {
    return UnprocessableException.of(field, "is registered by another organization");
  }
}
