package dev.sequencer.api.campaign;

import dev.sequencer.api.trigger.TriggerView;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A campaign as the API shows it: its definition with defaults filled in, and its state.
 *
 * @param trigger what enrols contacts into a triggered campaign; null for other campaigns
 * @param revision 1 at creation, counted up by every PATCH that changes the definition
 * @param audienceId the saved audience the campaign enrols, or null
 */
public record CampaignResponse(
    String campaignId,
    String name,
    String channel,
    String status,
    int revision,
    Sender sender,
    List<Step> steps,
    List<Variant> variants,
    int holdoutPercentage,
    Schedule schedule,
    Limits limits,
    int attributionWindowDays,
    boolean stopOnReply,
    String stopScope,
    boolean trackLinks,
    AutoWinner autoWinner,
    List<String> templateAttributes,
    Instant startAt,
    String workflowId,
    Map<String, Long> counts,
    List<Run> runs,
    Instant createdAt,
    Instant updatedAt,
    List<String> senders,
    AutoPause autoPause,
    String pauseReason,
    String audienceId,
    TriggerView trigger,
    CampaignRequest.GenerationBody generation) {

  /** This campaign with its trigger (null: none). */
  public CampaignResponse withTrigger(TriggerView trigger) {
    return new CampaignResponse(
        campaignId,
        name,
        channel,
        status,
        revision,
        sender,
        steps,
        variants,
        holdoutPercentage,
        schedule,
        limits,
        attributionWindowDays,
        stopOnReply,
        stopScope,
        trackLinks,
        autoWinner,
        templateAttributes,
        startAt,
        workflowId,
        counts,
        runs,
        createdAt,
        updatedAt,
        senders,
        autoPause,
        pauseReason,
        audienceId,
        trigger,
        generation);
  }

  /** When the campaign pauses itself; null when it never does. */
  public record AutoPause(double bounceRate, double complaintRate, int minSent) {}

  /** One run of a recurring campaign. */
  public record Run(int run, Instant startedAt, long enrolled) {}

  public record Sender(String email, String name, String phone, String replyTo) {}

  /**
   * @param segments for SMS, how many segments the body takes before personalisation
   * @param encoding for SMS, {@code gsm7} or {@code ucs2}
   */
  public record Step(
      String type,
      int day,
      String subject,
      String body,
      Integer segments,
      String encoding,
      CampaignRequest.GenerateBody generate,
      String channel,
      List<String> fallback,
      String contentSid,
      java.util.Map<String, String> contentVariables,
      String url,
      tools.jackson.databind.JsonNode payload,
      String title) {}

  public record Variant(String name, int allocationPercentage, List<Step> steps) {}

  public record Window(String start, String end) {}

  public record Schedule(
      String timezone,
      Window sendWindow,
      List<String> businessDays,
      String holidayCalendar,
      List<String> blackoutDates,
      String recurrence) {}

  public record Limits(
      Integer dailyLimit, Integer perMinute, Integer frequencyCapDays, Integer minSpacingSeconds) {}

  public record AutoWinner(boolean enabled, String metric, double confidence, int minSample) {}
}
