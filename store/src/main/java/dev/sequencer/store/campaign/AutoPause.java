package dev.sequencer.store.campaign;

/**
 * When a campaign pauses itself: once {@code minSent} messages went out, at a bounce rate of {@code
 * bounceRate} or a complaint rate of {@code complaintRate} (fractions, 0.02 = 2 %).
 */
public record AutoPause(boolean enabled, double bounceRate, double complaintRate, int minSent) {

  /** Woodpecker's 2 % bounces after 20 sends, and Google's bulk-sender complaint ceiling. */
  public static AutoPause defaults() {
    return new AutoPause(true, 0.02, 0.001, 20);
  }

  public static AutoPause off() {
    return new AutoPause(false, 0.02, 0.001, 20);
  }
}
