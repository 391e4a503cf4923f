package dev.sequencer.analysis;

/**
 * What the decision needs of one variant: its messaged leads, those that count as a success for the
 * metric (replied, positive reply or converted), and those that opted out.
 */
public record VariantOutcomes(String variant, long messaged, long successes, long optedOut) {

  public VariantOutcomes {
    if (messaged < 0 || successes < 0 || optedOut < 0) {
      throw new IllegalArgumentException("negative count for variant " + variant);
    }
    if (successes > messaged || optedOut > messaged) {
      throw new IllegalArgumentException("more outcomes than messaged leads in " + variant);
    }
  }

  public double successRate() {
    return messaged == 0 ? 0.0 : (double) successes / messaged;
  }

  public double optOutRate() {
    return messaged == 0 ? 0.0 : (double) optedOut / messaged;
  }
}
