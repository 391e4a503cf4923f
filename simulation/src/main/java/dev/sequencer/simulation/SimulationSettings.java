package dev.sequencer.simulation;

import java.time.Instant;
import java.util.Map;

/**
 * What a simulation draws and how much of the campaign it runs.
 *
 * @param replyRate the share of leads that reply at some point of their sequence
 * @param optOutRate the share of leads that opt out
 * @param bounceRate the share of leads whose first message bounces
 * @param sample how many of the campaign's leads to simulate, chosen by the seed; null for all of
 *     them (up to the service's maximum, beyond which a sample of that size is taken)
 * @param seed makes every draw, and the sample, repeatable
 * @param variantReplyRates a reply rate per variant where it differs from {@code replyRate}, so the
 *     auto-winner rules have a difference to find
 * @param startAt for a campaign not started yet, the launch to project (null: its planned start,
 *     else now)
 */
public record SimulationSettings(
    double replyRate,
    double optOutRate,
    double bounceRate,
    Integer sample,
    long seed,
    Map<String, Double> variantReplyRates,
    Instant startAt) {

  public SimulationSettings {
    variantReplyRates = variantReplyRates == null ? Map.of() : Map.copyOf(variantReplyRates);
  }

  double replyRateOf(String variant) {
    return variantReplyRates.getOrDefault(variant, replyRate);
  }
}
