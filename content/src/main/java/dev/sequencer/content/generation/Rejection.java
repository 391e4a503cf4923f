package dev.sequencer.content.generation;

/**
 * Why the quality gate refused a generated text.
 *
 * @param rule one of {@link QualityGate}'s rule names
 * @param detail what exactly: the phrase, the link, the fact, the figure
 */
public record Rejection(String rule, String detail) {

  @Override
  public String toString() {
    return rule + ": " + detail;
  }
}
