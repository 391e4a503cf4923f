package dev.sequencer.activities.config;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/** The worker's periodic housekeeping: one daemon thread each, a failed round logged, not fatal. */
public final class BackgroundTasks {

  private BackgroundTasks() {}

  /** A scheduler on one daemon thread named {@code name}. */
  public static ScheduledExecutorService thread(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        task -> {
          Thread thread = new Thread(task, name);
          thread.setDaemon(true);
          return thread;
        });
  }

  /** Runs {@code task} every {@code period} (first after one period); a failure waits a round. */
  public static void every(
      ScheduledExecutorService loop, Duration period, Runnable task, Logger log, String what) {
    loop.scheduleWithFixedDelay(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            log.warn("{}: {}", what, e.getMessage());
          }
        },
        period.toMillis(),
        period.toMillis(),
        TimeUnit.MILLISECONDS);
  }
}
