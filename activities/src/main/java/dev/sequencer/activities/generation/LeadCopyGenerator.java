package dev.sequencer.activities.generation;

import dev.sequencer.content.generation.GeneratedText;
import dev.sequencer.content.generation.QualityGate;
import dev.sequencer.content.generation.QualityRules;
import dev.sequencer.content.generation.Rejection;
import dev.sequencer.store.generation.GenerationUsage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a lead's steps with the model, in order, each checked by the {@link QualityGate} against
 * the lead's facts and the steps before it. A refused text is written once more with the refusal's
 * reasons; refused again, or when the model fails or the organization's budget is spent, the step
 * has no text and falls back to its template (or waits for review).
 */
public final class LeadCopyGenerator {

  /**
   * The organization's budget: requests a minute, tokens a day.
   *
   * @param rateWait how long a step may wait for a minute with requests left before it gives up
   *     (the day's tokens are never waited for)
   */
  public record Budget(int requestsPerMinute, long tokensPerDay, java.time.Duration rateWait) {

    public Budget(int requestsPerMinute, long tokensPerDay) {
      this(requestsPerMinute, tokensPerDay, java.time.Duration.ZERO);
    }
  }

  static final int ATTEMPTS = 2;

  private final ChatModel model;
  private final GenerationUsage usage;
  private final Budget budget;
  private final Clock clock;

  public LeadCopyGenerator(ChatModel model, GenerationUsage usage, Budget budget, Clock clock) {
    this.model = model;
    this.usage = usage;
    this.budget = budget;
    this.clock = clock;
  }

  /**
   * @param sms for an SMS campaign, the most segments a text may take; 0 for email
   */
  public List<StepResult> generate(
      LeadFacts lead,
      String channel,
      List<StepBrief> steps,
      Set<String> links,
      List<String> deniedPhrases,
      double maxSimilarity,
      int sms) {
    return generate(
        lead, channel, steps, links, deniedPhrases, maxSimilarity, sms, List.of(), r -> {});
  }

  /**
   * @param before the lead's texts written earlier, which new ones must not repeat
   * @param done called with each step's result as soon as it is known, so that a step is recorded
   *     before the next one is written
   */
  public List<StepResult> generate(
      LeadFacts lead,
      String channel,
      List<StepBrief> steps,
      Set<String> links,
      List<String> deniedPhrases,
      double maxSimilarity,
      int sms,
      List<GeneratedText> before,
      java.util.function.Consumer<StepResult> done) {
    List<StepResult> results = new ArrayList<>();
    List<GeneratedText> accepted = new ArrayList<>(before);
    for (StepBrief brief : steps) {
      Map<String, String> facts = new LinkedHashMap<>();
      facts.put("first_name", lead.firstName());
      facts.put("company", lead.company());
      QualityRules rules =
          new QualityRules(brief.maxWords(), sms, facts, links, deniedPhrases, maxSimilarity);
      StepResult result = generateStep(lead, channel, brief, links, rules, accepted);
      done.accept(result);
      results.add(result);
      if (result.accepted()) {
        accepted.add(result.text());
      }
    }
    return results;
  }

  private StepResult generateStep(
      LeadFacts lead,
      String channel,
      StepBrief brief,
      Set<String> links,
      QualityRules rules,
      List<GeneratedText> earlier) {
    boolean withSubject =
        "email".equals(channel)
            && brief.templateSubject() != null
            && !brief.templateSubject().isBlank();
    String system = StepPrompts.system(channel, withSubject);
    List<Rejection> refused = List.of();
    GeneratedText last = null;
    long prompt = 0;
    long completion = 0;
    String modelName = model.model();
    String asked = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      String user =
          StepPrompts.user(
              brief,
              lead,
              channel,
              links,
              earlier.stream().map(GeneratedText::body).toList(),
              refused);
      long maxTokens = Math.max(64, brief.maxWords() * 3L);
      String prompted = system + "\n\n" + user;
      long reserve = maxTokens + (system.length() + user.length()) / 3;
      Instant now = clock.instant();
      if (!takeRequest(lead.organizationId())
          || !usage.takeTokens(lead.organizationId(), now, reserve, budget.tokensPerDay())) {
        return new StepResult(
            brief.step(),
            null,
            last,
            refused,
            "the organization's generation budget is spent",
            attempt - 1,
            modelName,
            asked,
            prompt,
            completion);
      }
      asked = prompted;
      ChatModel.Reply reply;
      try {
        reply = model.complete(system, user, maxTokens);
      } catch (ChatModel.Failure e) {
        usage.returnTokens(lead.organizationId(), now, reserve);
        return new StepResult(
            brief.step(),
            null,
            last,
            refused,
            e.getMessage(),
            attempt,
            modelName,
            asked,
            prompt,
            completion);
      }
      if (reply.counted()) {
        usage.returnTokens(
            lead.organizationId(), now, reserve - reply.promptTokens() - reply.completionTokens());
      }
      prompt += reply.promptTokens();
      completion += reply.completionTokens();
      modelName = reply.model();
      last = parse(brief.step(), reply.text(), withSubject);
      refused = new ArrayList<>(QualityGate.check(last, rules, earlier));
      if (reply.truncated()) {
        refused.add(0, new Rejection("truncated", "the model stopped at its token limit"));
      }
      if (refused.isEmpty()) {
        return new StepResult(
            brief.step(),
            last,
            last,
            List.of(),
            null,
            attempt,
            modelName,
            asked,
            prompt,
            completion);
      }
    }
    return new StepResult(
        brief.step(), null, last, refused, null, ATTEMPTS, modelName, asked, prompt, completion);
  }

  /**
   * Takes one of the minute's requests, waiting for the next minute while the budget's rate wait
   * allows: a burst of enrolments is spread over minutes instead of falling back to templates.
   */
  private boolean takeRequest(String organizationId) {
    Instant giveUp = clock.instant().plus(budget.rateWait());
    while (true) {
      Instant now = clock.instant();
      if (usage.takeRequest(organizationId, now, budget.requestsPerMinute())) {
        return true;
      }
      Instant nextMinute = now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(60);
      if (nextMinute.isAfter(giveUp)) {
        return false;
      }
      try {
        Thread.sleep(java.time.Duration.between(now, nextMinute).toMillis() + 50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** Splits "Subject: …", an empty line and the body; without a subject line, all is body. */
  static GeneratedText parse(String step, String text, boolean withSubject) {
    String t = text == null ? "" : text.strip();
    if (withSubject && t.regionMatches(true, 0, "Subject:", 0, 8)) {
      int end = t.indexOf('\n');
      String subject = (end < 0 ? t.substring(8) : t.substring(8, end)).strip();
      String body = end < 0 ? "" : t.substring(end + 1).strip();
      return new GeneratedText(step, subject, body);
    }
    return new GeneratedText(step, null, t);
  }
}
