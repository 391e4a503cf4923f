package dev.sequencer.store.campaign;

import java.util.Arrays;
import java.util.List;

/**
 * A campaign's rules for the copy its model writes.
 *
 * @param review whether a refused text waits for a person (instead of falling back to the template)
 * @param deniedPhrases the phrases no text may use, one per line; null for the default list
 * @param maxSimilarity the most one step may share with another (0 to 1); null for the default
 */
public record CampaignGeneration(boolean review, String deniedPhrases, Double maxSimilarity) {

  public static final double DEFAULT_MAX_SIMILARITY = 0.5;

  public static CampaignGeneration defaults() {
    return new CampaignGeneration(false, null, null);
  }

  /** The organization's own list, or null to use the default one. */
  public List<String> deniedPhraseList() {
    return deniedPhrases == null
        ? null
        : Arrays.stream(deniedPhrases.split("\n")).filter(p -> !p.isBlank()).toList();
  }

  public double similarityLimit() {
    return maxSimilarity == null ? DEFAULT_MAX_SIMILARITY : maxSimilarity;
  }
}
