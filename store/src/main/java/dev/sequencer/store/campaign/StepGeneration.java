package dev.sequencer.store.campaign;

/**
 * A step whose copy the model writes for each lead: the campaign's wishes for it.
 *
 * @param maxWords the most words the text may have
 */
public record StepGeneration(String instructions, String tone, Integer maxWords) {

  public static final int DEFAULT_MAX_WORDS = 120;
}
