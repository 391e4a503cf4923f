package dev.sequencer.activities.generation;

import dev.sequencer.config.GenerationSettings;
import dev.sequencer.content.generation.DeniedPhrases;
import dev.sequencer.content.generation.GeneratedText;
import dev.sequencer.content.generation.Rejection;
import dev.sequencer.content.links.BodyLinks;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignStep;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.generation.GenerationUsage;
import dev.sequencer.store.generation.LeadGeneration;
import dev.sequencer.store.generation.LeadGenerations;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadRepository;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.workflows.lead.GenerationActivities;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a lead's generated steps when it is enrolled and records each outcome on the lead, so the
 * console shows the text (or why the template goes out instead) before anything is sent.
 */
@Component
public class GenerationActivitiesImpl implements GenerationActivities {

  /** An SMS text may take two segments (320 GSM-7 characters). */
  static final int SMS_SEGMENTS = 2;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final LeadRepository leads;
  private final CampaignRepository campaigns;
  private final LeadGenerations generations;
  private final LeadSteps steps;
  private final LeadTimeline timeline;
  private final Clock clock;
  private final LeadCopyGenerator generator;

  @org.springframework.beans.factory.annotation.Autowired
  GenerationActivitiesImpl(
      LeadRepository leads,
      CampaignRepository campaigns,
      LeadGenerations generations,
      LeadSteps steps,
      LeadTimeline timeline,
      GenerationUsage usage,
      GenerationSettings settings,
      Clock clock) {
    this(
        leads,
        campaigns,
        generations,
        steps,
        timeline,
        clock,
        settings.enabled()
            ? new LeadCopyGenerator(
                new ChatModel(
                    settings.baseUrl(),
                    settings.apiKey(),
                    settings.model(),
                    settings.timeout(),
                    settings.maxRetries()),
                usage,
                new LeadCopyGenerator.Budget(
                    settings.requestsPerMinute(),
                    settings.tokensPerDay(),
                    java.time.Duration.ofMinutes(10)),
                clock)
            : null);
  }

  GenerationActivitiesImpl(
      LeadRepository leads,
      CampaignRepository campaigns,
      LeadGenerations generations,
      LeadSteps steps,
      LeadTimeline timeline,
      Clock clock,
      LeadCopyGenerator generator) {
    this.leads = leads;
    this.campaigns = campaigns;
    this.generations = generations;
    this.steps = steps;
    this.timeline = timeline;
    this.clock = clock;
    this.generator = generator;
  }

  private static final java.util.concurrent.ScheduledExecutorService HEARTBEATS =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "generation-heartbeats");
            thread.setDaemon(true);
            return thread;
          });

  @Override
  public void generateCopy(long leadPk) {
    // A model call may take longer than the heartbeat timeout: the beat comes from beside it.
    io.temporal.activity.ActivityExecutionContext context = activityContext();
    java.util.concurrent.ScheduledFuture<?> beat =
        context == null
            ? null
            : HEARTBEATS.scheduleAtFixedRate(
                () -> {
                  try {
                    context.heartbeat(null);
                  } catch (RuntimeException ignored) {
                    // Cancelled or timed out: the attempt's own end follows.
                  }
                },
                0,
                5,
                java.util.concurrent.TimeUnit.SECONDS);
    try {
      generate(leadPk);
    } finally {
      if (beat != null) {
        beat.cancel(false);
      }
    }
  }

  /** The running activity's context; null when called outside an activity (tests). */
  private static io.temporal.activity.ActivityExecutionContext activityContext() {
    try {
      return io.temporal.activity.Activity.getExecutionContext();
    } catch (IllegalStateException | NullPointerException notInActivity) {
      return null;
    }
  }

  private void generate(long leadPk) {
    Lead lead = leads.findById(leadPk).orElse(null);
    if (lead == null) {
      return;
    }
    Campaign campaign = campaigns.findById(lead.campaignId()).orElseThrow();
    String variant = lead.variant() == null ? "A" : lead.variant();
    Set<String> done =
        generations.of(leadPk).stream().map(LeadGeneration::step).collect(Collectors.toSet());
    List<CampaignStep> wanted =
        campaign.stepsOf(variant).stream()
            .filter(CampaignStep::generated)
            .filter(s -> !done.contains(s.type().wireName()))
            .toList();
    if (wanted.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    if (generator == null) {
      for (CampaignStep step : wanted) {
        record(
            lead,
            new LeadGeneration(
                leadPk,
                step.type().wireName(),
                LeadGeneration.FAILED,
                null,
                null,
                null,
                "generation is off: no language model is configured",
                0,
                null,
                null,
                0,
                0,
                now,
                null,
                null));
      }
      return;
    }
    // Texts are written to SMS rules (length in segments, no subject); anything else as an email.
    boolean texts = campaign.channel().isPhone();
    List<StepBrief> briefs =
        wanted.stream()
            .map(
                s ->
                    new StepBrief(
                        s.type().wireName(),
                        s.generate().instructions(),
                        s.generate().tone(),
                        s.generate().maxWords(),
                        s.channelOr(campaign.channel()) == Channel.EMAIL && !s.repliesInThread()
                            ? s.subject()
                            : null,
                        s.body()))
            .toList();
    List<String> denied = campaign.generation().deniedPhraseList();
    List<GeneratedText> before =
        generations.of(leadPk).stream()
            .filter(LeadGeneration::sendable)
            .map(g -> new GeneratedText(g.step(), g.subject(), g.body()))
            .toList();
    generator.generate(
        facts(lead),
        texts ? "sms" : "email",
        briefs,
        links(campaign, variant),
        denied == null ? DeniedPhrases.DEFAULT : denied,
        campaign.generation().similarityLimit(),
        texts ? SMS_SEGMENTS : 0,
        before,
        result -> record(lead, outcome(leadPk, campaign, result)));
  }

  private LeadGeneration outcome(long leadPk, Campaign campaign, StepResult result) {
    String status =
        result.accepted()
            ? LeadGeneration.ACCEPTED
            : result.failure() != null
                ? LeadGeneration.FAILED
                : campaign.generation().review()
                    ? LeadGeneration.AWAITING_REVIEW
                    : LeadGeneration.REJECTED;
    GeneratedText text = result.accepted() ? result.text() : result.lastAttempt();
    return new LeadGeneration(
        leadPk,
        result.step(),
        status,
        text == null ? null : text.subject(),
        text == null ? null : text.body(),
        result.rejections().isEmpty()
            ? null
            : result.rejections().stream()
                .map(Rejection::toString)
                .collect(Collectors.joining("; ")),
        result.failure(),
        result.attempts(),
        result.model(),
        result.prompt(),
        result.promptTokens(),
        result.completionTokens(),
        clock.instant(),
        null,
        null);
  }

  /** Records the outcome once, with its trace on the lead's step and timeline. */
  private void record(Lead lead, LeadGeneration g) {
    if (!generations.record(g)) {
      return;
    }
    String detail =
        switch (g.status()) {
          case LeadGeneration.ACCEPTED ->
              g.step()
                  + ": written by "
                  + g.model()
                  + " ("
                  + g.attempts()
                  + " attempt"
                  + (g.attempts() == 1 ? "" : "s")
                  + ", "
                  + (g.promptTokens() + g.completionTokens())
                  + " tokens)";
          case LeadGeneration.AWAITING_REVIEW -> g.step() + ": waits for review: " + g.rejections();
          default ->
              g.step()
                  + ": the template goes out: "
                  + (g.failure() != null ? g.failure() : g.rejections());
        };
    String event =
        switch (g.status()) {
          case LeadGeneration.ACCEPTED -> "generated";
          case LeadGeneration.AWAITING_REVIEW -> "awaiting_review";
          default -> "generation_rejected";
        };
    if (!g.sendable()) {
      steps.note(lead.id(), g.step(), event);
    }
    timeline.record(
        lead.organizationId(),
        lead.campaignId(),
        lead.id(),
        null,
        g.step(),
        event,
        detail,
        clock.instant());
  }

  private static LeadFacts facts(Lead lead) {
    Map<String, String> attributes = new LinkedHashMap<>();
    if (lead.attributes() != null && !lead.attributes().isBlank()) {
      JsonNode node = JSON.readTree(lead.attributes());
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        JsonNode value = field.getValue();
        if (value.isValueNode() && !value.isNull()) {
          attributes.put(field.getKey(), value.asString());
        }
      }
    }
    return new LeadFacts(
        lead.organizationId(),
        lead.firstName(),
        lead.lastName(),
        lead.company(),
        lead.title(),
        attributes);
  }

  /** The links the campaign's own copy of the variant carries: the only ones a text may use. */
  static Set<String> links(Campaign campaign, String variant) {
    List<String> texts = new java.util.ArrayList<>();
    for (CampaignStep step : campaign.stepsOf(variant)) {
      texts.add(step.subject());
      texts.add(step.body());
    }
    return BodyLinks.in(texts);
  }
}
