package dev.sequencer.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentKeysTest {

  private final AtomicLong nanos = new AtomicLong();
  private final RecentKeys recent = new RecentKeys(nanos::get);
  private final AtomicInteger lookUps = new AtomicInteger();

  @Test
  void aKnownKeyIsLookedUpOnceInTenSeconds() {
    assertThat(recent.organizationOf("h1", this::org1)).contains("org_1");
    nanos.addAndGet(Duration.ofSeconds(9).toNanos());
    assertThat(recent.organizationOf("h1", this::org1)).contains("org_1");
    assertThat(lookUps).hasValue(1);

    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(recent.organizationOf("h1", this::org1)).contains("org_1");
    assertThat(lookUps).hasValue(2);
  }

  @Test
  void aKeyRevokedMeanwhileIsRefusedOnceItsTenSecondsAreOver() {
    recent.organizationOf("h1", this::org1);
    nanos.addAndGet(Duration.ofSeconds(11).toNanos());

    assertThat(recent.organizationOf("h1", this::unknown)).isEmpty();
    assertThat(recent.organizationOf("h1", this::unknown)).isEmpty();
    assertThat(lookUps).hasValue(3);
  }

  @Test
  void anUnknownKeyIsLookedUpEachTime() {
    assertThat(recent.organizationOf("nope", this::unknown)).isEmpty();
    assertThat(recent.organizationOf("nope", this::unknown)).isEmpty();
    assertThat(lookUps).hasValue(2);
  }

  private Optional<String> org1(String hash) {
    lookUps.incrementAndGet();
    return Optional.of("org_1");
  }

  private Optional<String> unknown(String hash) {
    lookUps.incrementAndGet();
    return Optional.empty();
  }
}
