package dev.sequencer.content.generation;

import java.util.List;

/**
 * The phrases no generated text may use unless an organization sets its own list: the spam-filter
 * triggers and the promises a sales message must not make.
 */
public final class DeniedPhrases {

  public static final List<String> DEFAULT =
      List.of(
          "guarantee",
          "guaranteed",
          "risk-free",
          "risk free",
          "100% free",
          "act now",
          "limited time offer",
          "click here",
          "no obligation",
          "winner",
          "you have been selected",
          "cash bonus",
          "double your",
          "earn money",
          "no strings attached",
          "once in a lifetime",
          "urgent",
          "final notice",
          "last chance",
          "lowest price");

  private DeniedPhrases() {}
}
