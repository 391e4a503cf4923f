package dev.sequencer.api.lead;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Lead import settings, bound from {@code sequencer.import.*} (environment variables such as {@code
 * SEQUENCER_IMPORT_MX_CHECK}).
 *
 * @param mxCheck look up the MX (or A/AAAA) records of imported addresses' domains and flag those
 *     that cannot receive mail ({@code no_mx}); off by default
 * @param mxResolver the DNS resolver to ask, {@code host} or {@code host:port} ({@code [v6]:port});
 *     blank: the system's resolvers
 * @param mxTimeout how long one domain's look-up may take
 * @param mxBudget how long the look-ups of one import may take in all, counted from its start
 * @param mxParallelism how many domains one import looks up at once
 */
@ConfigurationProperties("sequencer.import")
public record ImportProperties(
    boolean mxCheck, String mxResolver, Duration mxTimeout, Duration mxBudget, int mxParallelism) {

  public ImportProperties {
    mxResolver = mxResolver == null || mxResolver.isBlank() ? null : mxResolver.strip();
    mxTimeout = positiveOr(mxTimeout, Duration.ofSeconds(2));
    mxBudget = positiveOr(mxBudget, Duration.ofSeconds(10));
    mxParallelism = mxParallelism <= 0 ? 8 : mxParallelism;
  }

  private static Duration positiveOr(Duration value, Duration otherwise) {
    return value == null || value.isNegative() || value.isZero() ? otherwise : value;
  }
}
