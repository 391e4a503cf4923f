package dev.sequencer.analysis.metrics;

/** Shares, with 0 of 0 being 0 (an empty group has no rate worth dividing by zero for). */
public final class Rates {

  private Rates() {}

  public static double of(long part, long whole) {
    return whole == 0 ? 0.0 : (double) part / whole;
  }
}
