package dev.sequencer.api.campaign;

import java.util.List;

/**
 * The body of {@code POST /campaigns} (and the merged result of a PATCH). Every field is optional
 * at this level; {@link CampaignValidator} says what is required and fills in defaults.
 *
 * @param templateAttributes lead attributes the templates use without a fallback; a lead missing
 *     one is rejected on import
 * @param audienceId the saved audience whose members the campaign enrols at its start (and at each
 *     run of a recurring one); checked and stored apart from the definition
 */
public record CampaignRequest(
    String name,
    String channel,
    SenderBody sender,
    List<StepBody> steps,
    List<VariantBody> variants,
    Integer holdoutPercentage,
    ScheduleBody schedule,
    LimitsBody limits,
    Integer attributionWindowDays,
    Boolean stopOnReply,
    String stopScope,
    Boolean trackLinks,
    AutoWinnerBody autoWinner,
    List<String> templateAttributes,
    List<String> senders,
    AutoPauseBody autoPause,
    String audienceId,
    GenerationBody generation) {

  /**
   * A step the model writes for each lead; the step's own copy stays its fallback.
   *
   * @param maxWords the most words its text may have (default 120)
   */
  public record GenerateBody(String instructions, String tone, Integer maxWords) {}

  /**
   * The campaign's rules for generated copy.
   *
   * @param review a refused text waits for a person in the console instead of falling back
   * @param deniedPhrases replaces the default deny-list
   * @param maxSimilarity the most one step may share with another, 0 to 1 (default 0.5)
   */
  public record GenerationBody(Boolean review, List<String> deniedPhrases, Double maxSimilarity) {}

  /**
   * @param enabled false turns auto-pause off (as {@code "auto_pause": null} does)
   */
  public record AutoPauseBody(
      Boolean enabled, Double bounceRate, Double complaintRate, Integer minSent) {}

  public record SenderBody(String email, String name, String phone, String replyTo) {}

  /**
   * A step. Besides its copy: {@code channel} (default: the campaign's), {@code fallback} (channels
   * tried in order when the lead cannot be reached on the first), a WhatsApp template ({@code
   * content_sid}, {@code content_variables}), a webhook's {@code url} and JSON {@code payload}, and
   * an in-app message's {@code title}.
   */
  public record StepBody(
      String type,
      Integer day,
      String subject,
      String body,
      GenerateBody generate,
      String channel,
      List<String> fallback,
      String contentSid,
      java.util.Map<String, String> contentVariables,
      String url,
      tools.jackson.databind.JsonNode payload,
      String title) {
    public StepBody(String type, Integer day, String subject, String body) {
      this(type, day, subject, body, null);
    }

    public StepBody(String type, Integer day, String subject, String body, GenerateBody generate) {
      this(type, day, subject, body, generate, null, null, null, null, null, null, null);
    }

    /** The same step with the copy of a variant's override. */
    StepBody withCopy(String subject, String body, GenerateBody generate) {
      return new StepBody(
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
  }

  public record VariantBody(String name, Integer allocationPercentage, List<StepBody> steps) {}

  public record WindowBody(String start, String end) {}

  public record ScheduleBody(
      String timezone,
      WindowBody sendWindow,
      List<String> businessDays,
      String holidayCalendar,
      List<String> blackoutDates,
      String recurrence) {}

  public record LimitsBody(
      Integer dailyLimit, Integer perMinute, Integer frequencyCapDays, Integer minSpacingSeconds) {}

  public record AutoWinnerBody(
      Boolean enabled, String metric, Double confidence, Integer minSample) {}
}
