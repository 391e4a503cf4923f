package dev.sequencer.config;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The language model that writes generated copy ({@code LLM_BASE_URL}, {@code LLM_API_KEY}, {@code
 * LLM_MODEL}), and each organization's budget for it. Without a base URL (the embedded default)
 * generation is off, and campaigns that ask for it are refused.
 */
@Component
public class GenerationSettings {

  private final String baseUrl;
  private final String apiKey;
  private final String model;
  private final Duration timeout;
  private final int maxRetries;
  private final int requestsPerMinute;
  private final long tokensPerDay;

  public GenerationSettings(
      @Value("${sequencer.llm.base-url:}") String baseUrl,
      @Value("${sequencer.llm.api-key:}") String apiKey,
      @Value("${sequencer.llm.model:}") String model,
      @Value("${sequencer.llm.timeout:30s}") Duration timeout,
      @Value("${sequencer.llm.max-retries:2}") int maxRetries,
      @Value("${sequencer.llm.requests-per-minute:60}") int requestsPerMinute,
      @Value("${sequencer.llm.tokens-per-day:500000}") long tokensPerDay) {
    this.baseUrl = baseUrl == null ? "" : baseUrl.strip();
    this.apiKey = apiKey;
    this.model = model == null || model.isBlank() ? "gpt-4o-mini" : model.strip();
    this.timeout = timeout;
    this.maxRetries = maxRetries;
    this.requestsPerMinute = requestsPerMinute;
    this.tokensPerDay = tokensPerDay;
  }

  public boolean enabled() {
    return !baseUrl.isEmpty();
  }

  public String baseUrl() {
    return baseUrl;
  }

  public String apiKey() {
    return apiKey;
  }

  public String model() {
    return model;
  }

  public Duration timeout() {
    return timeout;
  }

  public int maxRetries() {
    return maxRetries;
  }

  public int requestsPerMinute() {
    return requestsPerMinute;
  }

  public long tokensPerDay() {
    return tokensPerDay;
  }

  /** Without the key, and the URL cut to its host: either may carry credentials. */
  @Override
  public String toString() {
    if (!enabled()) {
      return "GenerationSettings[off]";
    }
    String host;
    try {
      java.net.URI uri = java.net.URI.create(baseUrl);
      host =
          uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    } catch (IllegalArgumentException e) {
      host = "(unparseable URL)";
    }
    return "GenerationSettings[" + host + ", " + model + "]";
  }
}
