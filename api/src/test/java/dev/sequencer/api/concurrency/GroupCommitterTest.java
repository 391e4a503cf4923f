package dev.sequencer.api.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GroupCommitterTest {

  @Test
  void itemsQueuedWhileABatchIsHandledGoTogetherInOrderUpToTheBound() throws Exception {
    CountDownLatch firstTaken = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch allHandled = new CountDownLatch(11);
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    GroupCommitter<Integer> committer =
        new GroupCommitter<>(
            "test-committer",
            100,
            4,
            batch -> {
              batches.add(List.copyOf(batch));
              firstTaken.countDown();
              await(release);
              batch.forEach(item -> allHandled.countDown());
            });
    try {
      assertThat(committer.offer(0)).isTrue();
      assertThat(firstTaken.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 1; i <= 10; i++) {
        assertThat(committer.offer(i)).isTrue();
      }
      release.countDown();
      assertThat(allHandled.await(10, TimeUnit.SECONDS)).isTrue();
      // The first alone (nothing else was queued), then the ten queued meanwhile, four at a time.
      assertThat(batches)
          .containsExactly(List.of(0), List.of(1, 2, 3, 4), List.of(5, 6, 7, 8), List.of(9, 10));
    } finally {
      committer.stop();
    }
  }

  @Test
  void aFullQueueRefusesAndAFailingBatchDoesNotStopTheThread() throws Exception {
    CountDownLatch taken = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch secondHandled = new CountDownLatch(1);
    GroupCommitter<String> committer =
        new GroupCommitter<>(
            "test-committer",
            2,
            10,
            batch -> {
              if (batch.contains("fail")) {
                taken.countDown();
                await(release);
                throw new IllegalStateException("boom");
              }
              secondHandled.countDown();
            });
    try {
      assertThat(committer.offer("fail")).isTrue();
      assertThat(taken.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(committer.offer("a")).isTrue();
      assertThat(committer.offer("b")).isTrue();
      assertThat(committer.offer("c")).as("the queue holds two").isFalse();
      release.countDown();
      assertThat(secondHandled.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      assertThat(committer.stop()).isEmpty();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
