package dev.sequencer.api.auth;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * A token bucket per key (Bucket4j): {@code rate-limit} requests a second on average, up to {@code
 * rate-limit-burst} at once. Buckets live in this process, so each api replica grants a key its own
 * allowance.
 */
@Component
class RateLimits {

  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final AccessProperties access;

  RateLimits(AccessProperties access) {
    this.access = access;
  }

  /**
   * Takes one request from the key's allowance.
   *
   * @return empty when the request may go on, else the whole seconds to wait before the next
   */
  OptionalLong take(String keyId) {
    ConsumptionProbe probe =
        buckets.computeIfAbsent(keyId, id -> newBucket()).tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return OptionalLong.empty();
    }
    long nanos = probe.getNanosToWaitForRefill();
    return OptionalLong.of(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(
            Bandwidth.builder()
                .capacity(access.rateLimitBurst())
                .refillGreedy(access.rateLimit(), Duration.ofSeconds(1))
                .build())
        .build();
  }
}
