package dev.sequencer.store.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.storetest.StoreIntegrationTest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class DailyQuotaTest extends StoreIntegrationTest {

  private static final LocalDate DAY = LocalDate.parse("2027-02-10");

  @Autowired DailyQuota quota;

  private String campaignId;

  @BeforeEach
  void campaign() {
    campaignId = fixtures().emailCampaign().id();
  }

  @Test
  void racingWorkersNeverExceedTheLimit() throws Exception {
    int limit = 125;
    int attempts = 200;
    ExecutorService workers = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < attempts; i++) {
        results.add(
            workers.submit(
                () -> {
                  go.await();
                  return quota.reserve(campaignId, DAY, limit);
                }));
      }
      go.countDown();
      int granted = 0;
      for (Future<Boolean> result : results) {
        if (result.get(60, TimeUnit.SECONDS)) {
          granted++;
        }
      }

      assertThat(granted).isEqualTo(limit);
      assertThat(quota.used(campaignId, DAY)).isEqualTo(limit);
    } finally {
      workers.shutdownNow();
    }
  }

  @Test
  void releaseGivesOneUnitBack() {
    assertThat(quota.reserve(campaignId, DAY, 2)).isTrue();
    assertThat(quota.reserve(campaignId, DAY, 2)).isTrue();
    assertThat(quota.reserve(campaignId, DAY, 2)).isFalse();

    quota.release(campaignId, DAY);

    assertThat(quota.used(campaignId, DAY)).isEqualTo(1);
    assertThat(quota.reserve(campaignId, DAY, 2)).isTrue();
    assertThat(quota.reserve(campaignId, DAY, 2)).isFalse();
    assertThat(quota.used(campaignId, DAY)).isEqualTo(2);
  }

  @Test
  void releaseNeverGoesBelowZero() {
    quota.release(campaignId, DAY);
    quota.reserve(campaignId, DAY, 5);
    quota.release(campaignId, DAY);
    quota.release(campaignId, DAY);

    assertThat(quota.used(campaignId, DAY)).isZero();
  }

  @Test
  void eachDayAndCampaignHasItsOwnCount() {
    String other = fixtures().emailCampaign().id();

    assertThat(quota.reserve(campaignId, DAY, 1)).isTrue();
    assertThat(quota.reserve(campaignId, DAY, 1)).isFalse();
    assertThat(quota.reserve(campaignId, DAY.plusDays(1), 1)).isTrue();
    assertThat(quota.reserve(other, DAY, 1)).isTrue();

    assertThat(quota.used(campaignId, DAY)).isEqualTo(1);
    assertThat(quota.used(campaignId, DAY.plusDays(1))).isEqualTo(1);
    assertThat(quota.used(other, DAY)).isEqualTo(1);
    assertThat(quota.used(other, DAY.plusDays(2))).isZero();
  }

  @Test
  void aLimitOfZeroGrantsNothing() {
    assertThat(quota.reserve(campaignId, DAY, 0)).isFalse();
    assertThat(quota.used(campaignId, DAY)).isZero();
  }
}
