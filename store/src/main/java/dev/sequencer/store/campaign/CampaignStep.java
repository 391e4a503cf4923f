package dev.sequencer.store.campaign;

import java.util.ArrayList;
import java.util.List;
import org.springframework.data.relational.core.mapping.Embedded;
import org.springframework.data.relational.core.mapping.Table;

/**
 * One step of a variant: what is sent, how many business days after the hook, and on which channel.
 *
 * @param subject the email subject
 * @param body the text on every text channel (email, SMS, WhatsApp free text, in-app), or null for
 *     a step that only posts to a webhook
 * @param channel the step's own channel, or null for the campaign's
 * @param fallback channels tried in order when the lead cannot be reached on the first (no address,
 *     or the address bounced), space-separated wire names, or null
 * @param contentSid a WhatsApp step's approved template (Twilio Content SID)
 * @param contentVariables that template's variables: a JSON object of templates by number
 * @param url a webhook step's target
 * @param payload a webhook step's JSON payload, whose string values are templates
 * @param title an in-app message's title (a template), or null for the subject
 */
@Table("campaign_steps")
public record CampaignStep(
    String variant,
    StepType type,
    int day,
    String subject,
    String body,
    @Embedded.Nullable(prefix = "generate_") StepGeneration generate,
    Channel channel,
    String fallback,
    String contentSid,
    String contentVariables,
    String url,
    String payload,
    String title) {

  public CampaignStep(
      String variant,
      StepType type,
      int day,
      String subject,
      String body,
      StepGeneration generate) {
    this(variant, type, day, subject, body, generate, null, null, null, null, null, null, null);
  }

  public CampaignStep(String variant, StepType type, int day, String subject, String body) {
    this(variant, type, day, subject, body, null);
  }

  /** Whether the model writes this step's copy for each lead. */
  public boolean generated() {
    return generate != null;
  }

  /** An email follow-up without a subject of its own goes out as a reply in the hook's thread. */
  public boolean repliesInThread() {
    return type != StepType.HOOK && (subject == null || subject.isBlank());
  }

  /** The same step with other copy: a variant's override, or a lead's generated text. */
  public CampaignStep withCopy(String subject, String body) {
    return new CampaignStep(
        variant,
        type,
        day,
        subject,
        body,
        generate,
        channel,
        fallback,
        contentSid,
        contentVariables,
        url,
        payload,
        title);
  }

  /** The channel this step goes out on first, given the campaign's. */
  public Channel channelOr(Channel campaignChannel) {
    return channel == null ? campaignChannel : channel;
  }

  /** The channels to try in order: the step's own (or the campaign's), then its fallbacks. */
  public List<Channel> route(Channel campaignChannel) {
    List<Channel> route = new ArrayList<>();
    route.add(channelOr(campaignChannel));
    for (Channel c : fallbackChannels()) {
      if (!route.contains(c)) {
        route.add(c);
      }
    }
    return List.copyOf(route);
  }

  public List<Channel> fallbackChannels() {
    if (fallback == null || fallback.isBlank()) {
      return List.of();
    }
    List<Channel> channels = new ArrayList<>();
    for (String name : fallback.trim().split("\\s+")) {
      Channel.fromWire(name).ifPresent(channels::add);
    }
    return List.copyOf(channels);
  }
}
