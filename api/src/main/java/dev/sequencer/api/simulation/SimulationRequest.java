package dev.sequencer.api.simulation;

import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.simulation.SimulationSettings;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.campaign.CampaignVariant;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The body of {@code POST /api/v1/campaigns/{id}/simulate}; every field may be left out.
 *
 * @param variantReplyRates reply rates of single variants, where they differ from {@code
 *     reply_rate}
 * @param startAt for a campaign not started yet, the launch to project, as an ISO-8601 instant
 */
public record SimulationRequest(
    Double replyRate,
    Double optOutRate,
    Double bounceRate,
    Integer sample,
    Long seed,
    Map<String, Double> variantReplyRates,
    String startAt) {

  static final double DEFAULT_REPLY_RATE = 0.05;
  static final double DEFAULT_OPT_OUT_RATE = 0.01;
  static final long DEFAULT_SEED = 1;

  /** How far ahead a launch may be projected, as far as a start may be planned. */
  static final Duration MAX_START_AHEAD = Duration.ofDays(2 * 366);

  static final SimulationRequest DEFAULTS =
      new SimulationRequest(null, null, null, null, null, null, null);

  /** The settings this request asks for, checked against the campaign. */
  public SimulationSettings settingsFor(Campaign campaign, int maxLeads, Instant now) {
    double reply = rate("reply_rate", replyRate, DEFAULT_REPLY_RATE);
    double optOut = rate("opt_out_rate", optOutRate, DEFAULT_OPT_OUT_RATE);
    double bounce = rate("bounce_rate", bounceRate, 0);
    Set<String> variants =
        Stream.concat(
                Stream.of(CampaignVariant.BASE),
                campaign.variants().stream().map(CampaignVariant::name))
            .collect(Collectors.toSet());
    double highestReply = reply;
    if (variantReplyRates != null) {
      for (Map.Entry<String, Double> entry : variantReplyRates.entrySet()) {
        String field = "variant_reply_rates." + entry.getKey();
        if (!variants.contains(entry.getKey())) {
          throw InvalidRequestException.of(
              field,
              "is not a variant of this campaign (" + String.join(", ", sorted(variants)) + ")");
        }
        if (entry.getValue() == null) {
          throw InvalidRequestException.of(field, "must be a number from 0 to 1");
        }
        highestReply = Math.max(highestReply, rate(field, entry.getValue(), reply));
      }
    }
    if (highestReply + optOut + bounce > 1) {
      throw InvalidRequestException.of(
          "reply_rate", "reply, opt-out and bounce rates together may not exceed 1");
    }
    if (sample != null && (sample < 1 || sample > maxLeads)) {
      throw InvalidRequestException.of("sample", "must be between 1 and " + maxLeads);
    }
    return new SimulationSettings(
        reply,
        optOut,
        bounce,
        sample,
        seed == null ? DEFAULT_SEED : seed,
        variantReplyRates,
        launch(campaign, now));
  }

  private Instant launch(Campaign campaign, Instant now) {
    if (startAt == null) {
      return null;
    }
    if (campaign.status() != CampaignStatus.DRAFT
        && campaign.status() != CampaignStatus.SCHEDULED) {
      throw InvalidRequestException.of(
          "start_at", "the campaign has started: it simulates what remains from now");
    }
    Instant at;
    try {
      at = Instant.parse(startAt);
    } catch (DateTimeParseException e) {
      throw InvalidRequestException.of(
          "start_at", "must be an ISO-8601 instant such as 2027-11-24T15:00:00Z");
    }
    if (at.isBefore(now) || at.isAfter(now.plus(MAX_START_AHEAD))) {
      throw InvalidRequestException.of("start_at", "must be from now to two years ahead");
    }
    return at;
  }

  private static double rate(String field, Double value, double otherwise) {
    if (value == null) {
      return otherwise;
    }
    if (!Double.isFinite(value) || value < 0 || value > 1) {
      throw InvalidRequestException.of(field, "must be a number from 0 to 1");
    }
    return value;
  }

  private static String[] sorted(Set<String> names) {
    return names.stream().sorted().toArray(String[]::new);
  }
}
