package dev.sequencer.api.auth;

import dev.sequencer.store.organization.ApiKeys;
import dev.sequencer.store.organization.KeyHolder;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Who holds each key that called lately, remembered for a moment: looking the key up on every
 * request was a database round trip per call, most of a light call's cost. A revoked key fails on
 * its very next request to the replica that revoked it ({@link #forget}), and within {@code
 * sequencer.access.key-cache} (2 s by default) on every other replica. Unknown keys are not
 * remembered, so that guessing fills nothing.
 */
@Component
public class KeyHolders {

  private static final int MAX_REMEMBERED = 10_000;

  private record Remembered(KeyHolder holder, long at) {}

  private final ApiKeys apiKeys;
  private final long ttlNanos;
  private final ConcurrentHashMap<String, Remembered> remembered = new ConcurrentHashMap<>();

  KeyHolders(ApiKeys apiKeys, @Value("${sequencer.access.key-cache:2s}") Duration ttl) {
    this.apiKeys = apiKeys;
    this.ttlNanos = ttl.toNanos();
  }

  Optional<KeyHolder> holderOfHash(String hash) {
    long now = System.nanoTime();
    Remembered known = remembered.get(hash);
    if (known != null && now - known.at() < ttlNanos) {
      return Optional.of(known.holder());
    }
    Optional<KeyHolder> holder = apiKeys.holderOfHash(hash);
    if (holder.isPresent() && ttlNanos > 0) {
      if (remembered.size() >= MAX_REMEMBERED) {
        remembered.clear();
      }
      remembered.put(hash, new Remembered(holder.get(), now));
    } else {
      remembered.remove(hash);
    }
    return holder;
  }

  /** Forgets every key: called when one is revoked here. */
  public void forget() {
    remembered.clear();
  }
}
