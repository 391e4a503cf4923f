package dev.sequencer.activities.messaging;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.campaign.Sender;
import dev.sequencer.store.sender.RegisteredSender;

/** A campaign as one lead's message sees it: from the lead's own sender of the pool. */
final class SendingAs {

  private SendingAs() {}

  static Campaign sender(Campaign campaign, RegisteredSender registered) {
    Sender inline = campaign.sender();
    String replyTo = inline == null ? null : inline.replyTo();
    String inlineName = inline == null ? null : inline.name();
    // In a pool each mailbox is someone of its own, so its registered name goes first; a campaign
    // with an inline sender (a pool of one) names it itself, as it always has.
    boolean pooled = !campaign.senderIds().isEmpty();
    String name =
        pooled
            ? (registered.name() != null ? registered.name() : inlineName)
            : (inlineName != null ? inlineName : registered.name());
    Sender sender =
        campaign.channel() == Channel.EMAIL
            ? new Sender(registered.address(), name, null, replyTo)
            : new Sender(null, null, registered.address(), null);
    return campaign.sendingAs(sender);
  }
}
