package dev.sequencer.activities.memory;

import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Counts the workflows that went to sleep on a timer, once each: the server shows no count of
 * sleeping runs, and asking each of 100,000 would take longer than starting them. By workflow id,
 * as a workflow task that failed (a slow first task under load is taken for a deadlock) runs the
 * code again, not as a replay.
 */
final class AsleepCounter extends WorkerInterceptorBase {

  private final Set<String> asleep = ConcurrentHashMap.newKeySet();

  int count() {
    return asleep.size();
  }

  /** Lets go of the ids, so that they are not counted in the heap being measured. */
  void forget() {
    asleep.clear();
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public void init(WorkflowOutboundCallsInterceptor outbound) {
        super.init(
            new WorkflowOutboundCallsInterceptorBase(outbound) {
              @Override
              public boolean await(
                  Duration timeout, String reason, Supplier<Boolean> unblockCondition) {
                if (!Workflow.isReplaying()) {
                  asleep.add(Workflow.getInfo().getWorkflowId());
                }
                return super.await(timeout, reason, unblockCondition);
              }
            });
      }
    };
  }
}
