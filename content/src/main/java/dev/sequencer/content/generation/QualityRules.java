package dev.sequencer.content.generation;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a generated text must meet.
 *
 * @param maxWords the step's {@code max_words}
 * @param maxSmsSegments for an SMS step, the most segments a text may take; 0 for email
 * @param requiredFacts facts the text must name, by name (e.g. {@code first_name → Ada}); a fact
 *     the lead does not have is not required
 * @param allowedLinks the only links a text may carry: those the campaign's own copy has
 * @param deniedPhrases phrases no text may contain (spam words, promises), matched as whole words
 *     whatever their case
 * @param maxSimilarity the most a step's body may share with another step's (Jaccard similarity of
 *     their three-word shingles, 0 to 1)
 */
public record QualityRules(
    int maxWords,
    int maxSmsSegments,
    Map<String, String> requiredFacts,
    Set<String> allowedLinks,
    List<String> deniedPhrases,
    double maxSimilarity) {

  /** Subjects longer than this are cut by most mail clients. */
  public static final int MAX_SUBJECT_CHARACTERS = 120;
}
