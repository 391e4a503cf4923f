package dev.sequencer.activities.generation;

/**
 * What a campaign asks of one generated step.
 *
 * @param step {@code hook}, {@code proof} or {@code fomo}
 * @param templateSubject the step's own subject (its fallback), null for SMS or a threaded reply
 * @param templateBody the step's own body (its fallback), shown to the model as the gist to keep
 */
public record StepBrief(
    String step,
    String instructions,
    String tone,
    int maxWords,
    String templateSubject,
    String templateBody) {}
