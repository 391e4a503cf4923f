package dev.sequencer.api.campaign;

import dev.sequencer.content.SmsSegments;
import dev.sequencer.store.campaign.AutoPause;
import dev.sequencer.store.campaign.AutoWinner;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignGeneration;
import dev.sequencer.store.campaign.CampaignRuns;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.campaign.CampaignStep;
import dev.sequencer.store.campaign.CampaignVariant;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.campaign.Limits;
import dev.sequencer.store.campaign.Schedule;
import dev.sequencer.store.campaign.StopScope;
import dev.sequencer.store.lead.LeadStatus;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Between stored campaigns and their API representations. */
final class CampaignMapper {

  private CampaignMapper() {}

  static Campaign newCampaign(
      String id, String organizationId, CampaignValidator.Definition d, Instant now) {
    return withDefinition(
        new Campaign(
            id,
            organizationId,
            null,
            null,
            CampaignStatus.DRAFT,
            null,
            0,
            null,
            null,
            7,
            true,
            StopScope.LEAD,
            true,
            AutoWinner.disabled(),
            "",
            null,
            null,
            null,
            now,
            now,
            List.of(),
            List.of(),
            null,
            AutoPause.defaults(),
            null,
            1,
            CampaignGeneration.defaults(),
            null),
        d,
        now);
  }

  static Campaign withDefinition(Campaign c, CampaignValidator.Definition d, Instant now) {
    return new Campaign(
        c.id(),
        c.organizationId(),
        d.name(),
        d.channel(),
        c.status(),
        d.sender(),
        d.holdoutPercentage(),
        d.schedule(),
        d.limits(),
        d.attributionWindowDays(),
        d.stopOnReply(),
        d.stopScope(),
        d.trackLinks(),
        d.autoWinner(),
        String.join(",", d.templateAttributes()),
        c.startAt(),
        c.workflowId(),
        c.cancelReason(),
        c.createdAt(),
        now,
        d.steps(),
        d.variants(),
        d.senderPool().isEmpty() ? null : String.join(" ", d.senderPool()),
        d.autoPause(),
        c.pauseReason(),
        c.revision(),
        d.generation(),
        c.version());
  }

  static CampaignResponse toResponse(Campaign c, Map<LeadStatus, Long> counts) {
    return toResponse(c, counts, List.of());
  }

  static CampaignResponse toResponse(
      Campaign c, Map<LeadStatus, Long> counts, List<CampaignRuns.Run> runs) {
    return toResponse(c, counts, runs, null);
  }

  static CampaignResponse toResponse(
      Campaign c, Map<LeadStatus, Long> counts, List<CampaignRuns.Run> runs, String audienceId) {
    Map<String, Long> byStatus = new LinkedHashMap<>();
    counts.forEach((status, n) -> byStatus.put(status.wireName(), n));
    Schedule s = c.schedule();
    Limits l = c.limits();
    AutoWinner a = c.autoWinner();
    return new CampaignResponse(
        c.id(),
        c.name(),
        c.channel().wireName(),
        c.status().wireName(),
        c.revision(),
        new CampaignResponse.Sender(
            c.sender().email(), c.sender().name(), c.sender().phone(), c.sender().replyTo()),
        stepsOf(c, CampaignVariant.BASE),
        c.variants().stream()
            .map(
                v ->
                    new CampaignResponse.Variant(
                        v.name(), v.allocationPercentage(), stepsOf(c, v.name())))
            .toList(),
        c.holdoutPercentage(),
        new CampaignResponse.Schedule(
            s.timezone(),
            s.windowStart() == null
                ? null
                : new CampaignResponse.Window(hhmm(s.windowStart()), hhmm(s.windowEnd())),
            s.businessDaySet().stream().map(d -> d.name().substring(0, 3)).toList(),
            s.holidayCalendar(),
            s.blackoutDateSet().stream().map(LocalDate::toString).toList(),
            s.recurrence()),
        new CampaignResponse.Limits(
            l.dailyLimit(), l.perMinute(), l.frequencyCapDays(), l.minSpacingSeconds()),
        c.attributionWindowDays(),
        c.stopOnReply(),
        c.stopScope().name().toLowerCase(Locale.ROOT),
        c.trackLinks(),
        new CampaignResponse.AutoWinner(a.enabled(), a.metric(), a.confidence(), a.minSample()),
        templateAttributes(c),
        c.startAt(),
        c.workflowId(),
        byStatus,
        runs.stream()
            .map(r -> new CampaignResponse.Run(r.number(), r.startedAt(), r.enrolled()))
            .toList(),
        c.createdAt(),
        c.updatedAt(),
        c.senderIds(),
        c.autoPause() == null || !c.autoPause().enabled()
            ? null
            : new CampaignResponse.AutoPause(
                c.autoPause().bounceRate(), c.autoPause().complaintRate(), c.autoPause().minSent()),
        c.status() == CampaignStatus.PAUSED ? c.pauseReason() : null,
        audienceId,
        null,
        generationOf(c));
  }

  /** The campaign's generation rules, shown only when one of its steps is generated. */
  private static CampaignRequest.GenerationBody generationOf(Campaign c) {
    CampaignGeneration g = c.generation();
    if (g == null || c.steps().stream().noneMatch(CampaignStep::generated)) {
      return null;
    }
    return new CampaignRequest.GenerationBody(
        g.review(), g.deniedPhraseList(), g.similarityLimit());
  }

  private static CampaignRequest.GenerateBody generateOf(CampaignStep s) {
    return s.generate() == null
        ? null
        : new CampaignRequest.GenerateBody(
            s.generate().instructions(), s.generate().tone(), s.generate().maxWords());
  }

  /** The definition of a stored campaign as a request, for PATCH merging and cloning. */
  static CampaignRequest toRequest(Campaign c) {
    CampaignResponse r = toResponse(c, Map.of());
    return new CampaignRequest(
        r.name(),
        r.channel(),
        new CampaignRequest.SenderBody(
            r.sender().email(), r.sender().name(), r.sender().phone(), r.sender().replyTo()),
        c.baseSteps().stream().map(CampaignMapper::stepBody).toList(),
        c.variants().stream()
            .map(
                v ->
                    new CampaignRequest.VariantBody(
                        v.name(),
                        v.allocationPercentage(),
                        c.steps().stream()
                            .filter(s -> s.variant().equals(v.name()))
                            .map(
                                s ->
                                    new CampaignRequest.StepBody(
                                        s.type().wireName(),
                                        s.day(),
                                        s.subject(),
                                        s.body(),
                                        generateOf(s)))
                            .toList()))
            .toList(),
        r.holdoutPercentage(),
        new CampaignRequest.ScheduleBody(
            r.schedule().timezone(),
            r.schedule().sendWindow() == null
                ? null
                : new CampaignRequest.WindowBody(
                    r.schedule().sendWindow().start(), r.schedule().sendWindow().end()),
            r.schedule().businessDays(),
            r.schedule().holidayCalendar(),
            r.schedule().blackoutDates(),
            r.schedule().recurrence()),
        new CampaignRequest.LimitsBody(
            r.limits().dailyLimit(),
            r.limits().perMinute(),
            r.limits().frequencyCapDays(),
            r.limits().minSpacingSeconds()),
        r.attributionWindowDays(),
        r.stopOnReply(),
        r.stopScope(),
        r.trackLinks(),
        new CampaignRequest.AutoWinnerBody(
            r.autoWinner().enabled(),
            r.autoWinner().metric(),
            r.autoWinner().confidence(),
            r.autoWinner().minSample()),
        r.templateAttributes(),
        c.senderIds().isEmpty() ? null : c.senderIds(),
        c.autoPause() == null
            ? null
            : new CampaignRequest.AutoPauseBody(
                c.autoPause().enabled(),
                c.autoPause().bounceRate(),
                c.autoPause().complaintRate(),
                c.autoPause().minSent()),
        null,
        storedGeneration(c));
  }

  /** The generation rules as stored (null fields stay null), for PATCH merging and cloning. */
  private static CampaignRequest.GenerationBody storedGeneration(Campaign c) {
    CampaignGeneration g = c.generation();
    if (g == null || g.equals(CampaignGeneration.defaults())) {
      return null;
    }
    return new CampaignRequest.GenerationBody(g.review(), g.deniedPhraseList(), g.maxSimilarity());
  }

  static List<String> templateAttributes(Campaign c) {
    return c.templateAttributes() == null || c.templateAttributes().isBlank()
        ? List.of()
        : Arrays.asList(c.templateAttributes().split(","));
  }

  private static List<CampaignResponse.Step> stepsOf(Campaign c, String variant) {
    return c.stepsOf(variant).stream().map(s -> step(c.channel(), s)).toList();
  }

  private static CampaignResponse.Step step(Channel campaignChannel, CampaignStep s) {
    Channel channel = s.channelOr(campaignChannel);
    boolean texts = s.route(campaignChannel).stream().anyMatch(Channel::isPhone);
    SmsSegments segments = texts && s.body() != null ? SmsSegments.of(s.body()) : null;
    return new CampaignResponse.Step(
        s.type().wireName(),
        s.day(),
        s.subject(),
        s.body(),
        segments == null ? null : segments.segments(),
        segments == null ? null : segments.encoding().name().toLowerCase(Locale.ROOT),
        generateOf(s),
        channel.wireName(),
        s.fallbackChannels().isEmpty()
            ? null
            : s.fallbackChannels().stream().map(Channel::wireName).toList(),
        s.contentSid(),
        StepJson.variables(s.contentVariables()),
        s.url(),
        StepJson.payload(s.payload()),
        s.title());
  }

  /**
   * A step as a request: the channel is given only when the step names its own, so that a PATCH of
   * the campaign's channel still moves the steps that follow it.
   */
  private static CampaignRequest.StepBody stepBody(CampaignStep s) {
    return new CampaignRequest.StepBody(
        s.type().wireName(),
        s.day(),
        s.subject(),
        s.body(),
        generateOf(s),
        s.channel() == null ? null : s.channel().wireName(),
        s.fallbackChannels().isEmpty()
            ? null
            : s.fallbackChannels().stream().map(Channel::wireName).toList(),
        s.contentSid(),
        StepJson.variables(s.contentVariables()),
        s.url(),
        StepJson.payload(s.payload()),
        s.title());
  }

  private static String hhmm(LocalTime time) {
    return time == null ? null : String.format("%02d:%02d", time.getHour(), time.getMinute());
  }

  static String dayName(DayOfWeek day) {
    return day.name().substring(0, 3);
  }
}
