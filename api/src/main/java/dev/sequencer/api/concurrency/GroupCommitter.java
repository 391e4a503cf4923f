package dev.sequencer.api.concurrency;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Group commit: one thread hands its consumer every item queued while it handled the batch before
 * (up to a bound), so that many callers' small writes become one statement or one transaction, and
 * the busier the callers the bigger the batches.
 *
 * @param <T> what is queued
 */
public final class GroupCommitter<T> {

  private final LinkedBlockingQueue<T> queue;
  private final int maxBatch;
  private final Consumer<List<T>> consumer;
  private final Thread thread;

  /**
   * Starts the thread.
   *
   * @param capacity items queued at most
   * @param maxBatch items handed over at once at most
   * @param consumer handles a batch; what it throws is its own to report
   */
  public GroupCommitter(String name, int capacity, int maxBatch, Consumer<List<T>> consumer) {
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.maxBatch = maxBatch;
    this.consumer = consumer;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues the item; false when the queue is full. */
  public boolean offer(T item) {
    return queue.offer(item);
  }

  /** Stops the thread after its current batch; returns the items still queued. */
  public List<T> stop() {
    thread.interrupt();
    List<T> left = new ArrayList<>();
    queue.drainTo(left);
    return left;
  }

  private void run() {
    List<T> batch = new ArrayList<>(maxBatch);
    while (!Thread.currentThread().isInterrupted()) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException stopping) {
        return;
      }
      queue.drainTo(batch, maxBatch - 1);
      try {
        consumer.accept(batch);
      } catch (RuntimeException e) {
        // The consumer answers its callers; a failure it let through must not end the thread.
        org.slf4j.LoggerFactory.getLogger(GroupCommitter.class)
            .error("{} failed a batch of {}", thread.getName(), batch.size(), e);
      }
      batch.clear();
    }
  }
}
