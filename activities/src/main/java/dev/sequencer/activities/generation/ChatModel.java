package dev.sequencer.activities.generation;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.time.Duration;

/**
 * An OpenAI-compatible chat-completions endpoint (OpenAI, or a local Ollama or vLLM server) through
 * OpenAI's own Java client: each call has a timeout, and a 429 or 5xx answer (or a timeout) is
 * tried again with exponential back-off, honouring {@code Retry-After}, before the call fails.
 */
public final class ChatModel {

  /**
   * The model's answer and what it cost.
   *
   * @param truncated the model stopped at its token limit: the text is cut off
   * @param counted whether the server reported its usage (without, the reservation stands)
   */
  public record Reply(
      String text,
      String model,
      long promptTokens,
      long completionTokens,
      boolean truncated,
      boolean counted) {}

  /** The model gave no usable answer, retries included. */
  public static final class Failure extends RuntimeException {
    public Failure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final OpenAIClient client;
  private final String model;

  public ChatModel(String baseUrl, String apiKey, String model, Duration timeout, int maxRetries) {
    this.model = model;
    this.client =
        OpenAIOkHttpClient.builder()
            .baseUrl(baseUrl)
            // Local servers take any key; the client insists on one.
            .apiKey(apiKey == null || apiKey.isBlank() ? "none" : apiKey)
            .timeout(timeout)
            .maxRetries(maxRetries)
            .build();
  }

  public String model() {
    return model;
  }

  public Reply complete(String system, String user, long maxTokens) {
    ChatCompletion completion;
    try {
      completion =
          client
              .chat()
              .completions()
              .create(
                  ChatCompletionCreateParams.builder()
                      .model(model)
                      .addSystemMessage(system)
                      .addUserMessage(user)
                      .maxCompletionTokens(maxTokens)
                      .temperature(0.7)
                      .build());
    } catch (OpenAIException e) {
      // Only the kind of failure is kept: its message may hold the server's answer (key fragments
      // in a 401) or internal host names, and it is shown on the lead.
      throw new Failure("the model did not answer: " + kindOf(e), e);
    }
    String text =
        completion.choices().isEmpty()
            ? ""
            : completion.choices().get(0).message().content().orElse("");
    long prompt = completion.usage().map(u -> u.promptTokens()).orElse(0L);
    long answer = completion.usage().map(u -> u.completionTokens()).orElse(0L);
    boolean truncated =
        !completion.choices().isEmpty()
            && ChatCompletion.Choice.FinishReason.LENGTH.equals(
                completion.choices().get(0).finishReason());
    return new Reply(
        text, completion.model(), prompt, answer, truncated, completion.usage().isPresent());
  }

  static String kindOf(OpenAIException e) {
    if (e instanceof com.openai.errors.OpenAIServiceException service) {
      return "HTTP " + service.statusCode();
    }
    if (e instanceof com.openai.errors.OpenAIIoException) {
      return "no answer in time or no connection";
    }
    return e.getClass().getSimpleName();
  }
}
