package dev.sequencer.app;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The baseline of the sequences figure: what bare Temporal spends on a three-step sequence, three
 * timers on the lead's days (0, 3 and 7) and three activities that do nothing.
 */
@WorkflowInterface
public interface BareSequence {

  List<Integer> DAYS = List.of(0, 3, 7);

  @WorkflowMethod
  void run();

  /** Three timers from the start, an empty activity after each. */
  final class Timers implements BareSequence {

    private final Step step =
        Workflow.newActivityStub(
            Step.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(2)).build());

    @Override
    public void run() {
      long start = Workflow.currentTimeMillis();
      for (int position = 0; position < DAYS.size(); position++) {
        long due = start + Duration.ofDays(DAYS.get(position)).toMillis();
        long wait = due - Workflow.currentTimeMillis();
        // A step already due waits on no timer, as in the lead's workflow (day 0, the hook).
        if (wait > 0) {
          Workflow.sleep(Duration.ofMillis(wait));
        }
        step.send(position);
      }
    }
  }

  @ActivityInterface
  interface Step {
    void send(int position);
  }

  /** Does nothing but count the last steps, so the benchmark sees when every sequence is done. */
  final class EmptyStep implements Step {

    private final AtomicInteger finished = new AtomicInteger();

    @Override
    public void send(int position) {
      if (position == DAYS.size() - 1) {
        finished.incrementAndGet();
      }
    }

    int finished() {
      return finished.get();
    }
  }
}
