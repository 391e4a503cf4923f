package dev.sequencer.activities.generation;

import dev.sequencer.activities.config.BackgroundTasks;
import dev.sequencer.store.generation.GenerationUsage;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Every hour, deletes the language-model budget's minutes and days that are over (a minute's row
 * per organization that generated in it adds up to 1,440 a day).
 */
@Component
class GenerationUsagePruning implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(GenerationUsagePruning.class);

  static final Duration EVERY = Duration.ofHours(1);

  /** Older than this is over for every budget: the day before yesterday and earlier. */
  static final Duration KEPT = Duration.ofDays(2);

  private final GenerationUsage usage;
  private final Clock clock;
  private ScheduledExecutorService loop;

  GenerationUsagePruning(GenerationUsage usage, Clock clock) {
    this.usage = usage;
    this.clock = clock;
  }

  void prune() {
    int deleted = usage.pruneBefore(clock.instant().minus(KEPT));
    if (deleted > 0) {
      log.debug("{} finished periods of the generation budget deleted", deleted);
    }
  }

  @Override
  public synchronized void start() {
    loop = BackgroundTasks.thread("generation-usage-pruning");
    BackgroundTasks.every(
        loop, EVERY, this::prune, log, "the generation budget's old periods were not deleted");
  }

  @Override
  public synchronized void stop() {
    if (loop != null) {
      loop.shutdownNow();
      loop = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return loop != null;
  }
}
