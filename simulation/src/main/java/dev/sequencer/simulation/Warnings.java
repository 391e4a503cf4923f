package dev.sequencer.simulation;

import dev.sequencer.store.campaign.Campaign;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** What a campaign owner should know before launch, in words. */
final class Warnings {

  /** A share of late hooks below this is not worth a warning. */
  private static final double LATE_HOOKS_WORTH_SAYING = 0.01;

  /** Sends spread over more days than this are worth a warning. */
  private static final long LONG_CAMPAIGN_DAYS = 60;

  private Warnings() {}

  static void add(
      List<String> warnings,
      Campaign campaign,
      Tally tally,
      Projection.Outcomes outcomes,
      long paused,
      int open,
      int simulated) {
    double late = tally.lateHookShare();
    if (late >= LATE_HOOKS_WORTH_SAYING) {
      warnings.add(
          String.format(
              Locale.ROOT,
              "daily limit delays %d %% of hooks by %d or more business days",
              Math.round(late * 100),
              Tally.LATE_HOOK_BUSINESS_DAYS));
    }
    long capped = tally.deferred(1).getOrDefault("frequency_cap", 0L);
    if (capped > 0) {
      warnings.add(
          "frequency cap delays "
              + Math.round(capped * (double) open / Math.max(1, simulated))
              + " sends: other campaigns messaged the same people recently");
    }
    if (tally.first() != null && tally.last() != null) {
      long days = Duration.between(tally.first(), tally.last()).toDays();
      if (days > LONG_CAMPAIGN_DAYS) {
        warnings.add("sends go on for " + days + " days");
      }
    }
    if (outcomes.suppressed() > 0) {
      warnings.add(
          outcomes.suppressed()
              + " leads are on the suppression list or have no "
              + campaign.channel().wireName()
              + " address and get no message");
    }
    if (paused > 0) {
      warnings.add(paused + " paused leads are not projected: they send nothing until resumed");
    }
    if (simulated < open) {
      warnings.add(
          "projected from a sample of " + simulated + " of " + open + " leads; counts are scaled");
    }
  }
}
