package dev.sequencer.store.campaign;

/** When and how the A/B test may pick a winner on its own. */
public record AutoWinner(boolean enabled, String metric, double confidence, int minSample) {
  public static AutoWinner disabled() {
    return new AutoWinner(false, "reply_rate", 0.95, 100);
  }
}
