package dev.sequencer.activities.generation;

import dev.sequencer.content.generation.GeneratedText;
import dev.sequencer.content.generation.Rejection;
import java.util.List;

/**
 * What generating one step came to.
 *
 * @param text the text that passed the gate, or null when the step falls back (or waits for review)
 * @param lastAttempt the last text the model wrote, passed or not (what a reviewer starts from)
 * @param rejections why the last attempt was refused; empty when it passed
 * @param failure why the model gave no text (an error after retries, the budget), or null
 * @param attempts the model's calls for this step
 * @param prompt the last prompt the model was given (system and user), or null without a call
 */
public record StepResult(
    String step,
    GeneratedText text,
    GeneratedText lastAttempt,
    List<Rejection> rejections,
    String failure,
    int attempts,
    String model,
    String prompt,
    long promptTokens,
    long completionTokens) {

  public boolean accepted() {
    return text != null;
  }
}
