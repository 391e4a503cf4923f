package dev.sequencer.activities.enrolment;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptor;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowClientInterceptorBase;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the workflow starts the client sends, by workflow id: accepted ones and ones the server
 * refused because the id was taken. It can also play a worker that dies after a number of accepted
 * starts of lead workflows, once.
 */
final class StartCounter extends WorkflowClientInterceptorBase {

  /** Thrown in place of the process dying. */
  static final class SimulatedCrash extends Error {
    SimulatedCrash(String message) {
      super(message);
    }
  }

  private final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
  private final AtomicInteger acceptedLeads = new AtomicInteger();
  private final AtomicBoolean crashed = new AtomicBoolean();
  private volatile int crashAfter = Integer.MAX_VALUE;
  private volatile String crashedAfterStarting;

  /** The {@code starts}-th accepted start of a lead workflow throws {@link SimulatedCrash}. */
  void crashOnceAfter(int starts) {
    this.crashAfter = starts;
  }

  boolean crashed() {
    return crashed.get();
  }

  /** The workflow whose start was the last thing the dying worker did, or null. */
  String crashedAfterStarting() {
    return crashedAfterStarting;
  }

  Map<String, AtomicInteger> accepted() {
    return accepted;
  }

  Map<String, AtomicInteger> refused() {
    return refused;
  }

  int acceptedTotal() {
    return accepted.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  int refusedTotal() {
    return refused.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** At this level the client's refusal is still the server's ALREADY_EXISTS status. */
  private static boolean alreadyStarted(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof WorkflowExecutionAlreadyStarted
          || (cause instanceof StatusRuntimeException status
              && status.getStatus().getCode() == Status.Code.ALREADY_EXISTS)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public WorkflowClientCallsInterceptor workflowClientCallsInterceptor(
      WorkflowClientCallsInterceptor next) {
    return new WorkflowClientCallsInterceptorBase(next) {
      @Override
      public WorkflowStartOutput start(WorkflowStartInput input) {
        String id = input.getWorkflowId();
        WorkflowStartOutput output;
        try {
          output = super.start(input);
        } catch (RuntimeException failure) {
          if (alreadyStarted(failure)) {
            refused.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
          }
          throw failure;
        }
        accepted.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        if (id.startsWith("lead-")
            && acceptedLeads.incrementAndGet() >= crashAfter
            && crashed.compareAndSet(false, true)) {
          crashedAfterStarting = id;
          throw new SimulatedCrash("worker died after starting " + id);
        }
        return output;
      }
    };
  }
}
