package dev.sequencer.api.temporal;

import io.grpc.Context;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Calls to Temporal with a deadline. The client retries an unreachable frontend for up to a minute
 * by default; a request (and whatever it holds, such as a campaign's change lease) should not wait
 * that long to learn that Temporal is down. The client's retries end at the deadline of the gRPC
 * context they run in.
 */
public final class TemporalCalls {

  /** Ample for a start or signal of a healthy frontend, which answer in milliseconds. */
  public static final Duration DEADLINE = Duration.ofSeconds(5);

  private static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "temporal-call-deadlines");
            thread.setDaemon(true);
            return thread;
          });

  private TemporalCalls() {}

  /** {@code call} with the {@link #DEADLINE}. */
  public static <T> T call(Supplier<T> call) {
    Context.CancellableContext context =
        Context.current().withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS, DEADLINES);
    AtomicReference<T> result = new AtomicReference<>();
    try {
      context.run(() -> result.set(call.get()));
    } finally {
      context.cancel(null);
    }
    return result.get();
  }

  /** {@code call} with the {@link #DEADLINE}. */
  public static void run(Runnable call) {
    TemporalCalls.<Void>call(
        () -> {
          call.run();
          return null;
        });
  }
}
