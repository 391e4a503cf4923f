package dev.sequencer.workflows.campaign;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Deterministic, sticky assignment of a lead to the holdout or a variant: a hash of campaign id and
 * lead id against the percentages, so re-enrolling a lead always gives the same answer. The holdout
 * is drawn first, from an independent hash.
 */
public final class VariantAssignment {

  public static final String HOLDOUT = "holdout";
  public static final String BASE = "A";

  /** A variant other than A and its share of leads, in percent. */
  public record Allocation(String variant, int percentage) {}

  private VariantAssignment() {}

  /**
   * @return {@link #HOLDOUT}, one of the allocations' variants, or {@link #BASE} for the rest
   */
  public static String assign(
      String campaignId, String leadId, int holdoutPercentage, List<Allocation> allocations) {
    if (bucket("holdout", campaignId, leadId) < holdoutPercentage * 100) {
      return HOLDOUT;
    }
    int bucket = bucket("variant", campaignId, leadId);
    int upper = 0;
    for (Allocation allocation : allocations) {
      upper += allocation.percentage() * 100;
      if (bucket < upper) {
        return allocation.variant();
      }
    }
    return BASE;
  }

  /** A stable bucket in 0..9999. */
  static int bucket(String purpose, String campaignId, String leadId) {
    CRC32C crc = new CRC32C();
    crc.update(
        (purpose + '\u0000' + campaignId + '\u0000' + leadId).getBytes(StandardCharsets.UTF_8));
    long mixed = crc.getValue() * 0x9E3779B97F4A7C15L;
    return (int) Long.remainderUnsigned(mixed >>> 16, 10_000);
  }
}
