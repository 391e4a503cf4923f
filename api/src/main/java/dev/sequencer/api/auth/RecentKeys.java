package dev.sequencer.api.auth;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Organizations of the API keys seen in the last {@link #TTL}, by the keys' SHA-256 hashes. Every
 * request carries its key, and a client at hundreds of requests a second would otherwise spend a
 * pooled connection on the same lookup each time; a key that stops being valid is refused at the
 * latest {@link #TTL} later. Unknown keys are not remembered, so guessing fills nothing.
 */
final class RecentKeys {

  static final Duration TTL = Duration.ofSeconds(10);

  /** Beyond this many keys, the cache starts over rather than grow. */
  static final int MAX_KEYS = 10_000;

  private final Map<String, Entry> byHash = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;

  RecentKeys(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  Optional<String> organizationOf(String keyHash, Function<String, Optional<String>> lookUp) {
    long now = nanoTime.getAsLong();
    Entry known = byHash.get(keyHash);
    if (known != null && now - known.since() < TTL.toNanos()) {
      return Optional.of(known.organizationId());
    }
    Optional<String> organization = lookUp.apply(keyHash);
    if (organization.isPresent()) {
      if (byHash.size() >= MAX_KEYS) {
        byHash.clear();
      }
      byHash.put(keyHash, new Entry(organization.get(), now));
    } else {
      byHash.remove(keyHash);
    }
    return organization;
  }

  private record Entry(String organizationId, long since) {}
}
