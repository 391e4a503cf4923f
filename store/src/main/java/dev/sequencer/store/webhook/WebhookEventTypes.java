package dev.sequencer.store.webhook;

import java.util.List;

/** The event types an endpoint can subscribe to; {@code *} subscribes to all. */
public final class WebhookEventTypes {

  public static final String ALL = "*";

  public static final List<String> TYPES =
      List.of(
          "campaign.created",
          "campaign.started",
          "campaign.paused",
          "campaign.resumed",
          "campaign.completed",
          "campaign.cancelled",
          "campaign.auto_paused",
          "message.sent",
          "message.delivered",
          "message.opened",
          "message.clicked",
          "message.replied",
          "message.bounced",
          "message.failed",
          "message.unsubscribed",
          "message.converted",
          "lead.completed");

  private WebhookEventTypes() {}

  public static boolean isType(String type) {
    return ALL.equals(type) || TYPES.contains(type);
  }
}
