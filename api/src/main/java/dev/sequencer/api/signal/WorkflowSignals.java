package dev.sequencer.api.signal;

import dev.sequencer.store.signal.SignalOutbox;
import dev.sequencer.workflows.campaign.CampaignRunWorkflow;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import io.temporal.api.common.v1.Payloads;
import io.temporal.client.WorkflowClient;
import io.temporal.workflow.SignalMethod;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tells running workflows what the store already says. The store is the source of truth (sends
 * re-check it under a row lock), so a signal is news for a workflow, not a command it must get
 * before the caller is answered: it is added to the {@link SignalOutbox} in the transaction of the
 * change it announces, and the {@link SignalDispatcher} delivers it right after the commit. A call
 * thus answers in the time of its transaction whatever Temporal's load, and a crash between the
 * commit and the signal delays the signal rather than losing it.
 *
 * <p>Signals are written as calls on the workflow's interface ({@code w -> w.pause(reason)}),
 * recorded and encoded by Temporal's own data converter, so they reach the workflow exactly as a
 * typed stub would send them.
 */
@Component
public class WorkflowSignals {

  private final SignalOutbox outbox;
  private final WorkflowClient workflows;
  private final SignalDispatcher dispatcher;
  private final TransactionTemplate transaction;

  WorkflowSignals(
      SignalOutbox outbox,
      WorkflowClient workflows,
      SignalDispatcher dispatcher,
      TransactionTemplate transaction) {
    this.outbox = outbox;
    this.workflows = workflows;
    this.dispatcher = dispatcher;
    this.transaction = transaction;
  }

  /** Signals a lead's workflow once the current transaction commits (at once without one). */
  public void lead(String workflowId, Consumer<LeadSequenceWorkflow> signal) {
    send(LeadSequenceWorkflow.class, workflowId, signal);
  }

  /** Signals a campaign run once the current transaction commits (at once without one). */
  public void campaign(String workflowId, Consumer<CampaignRunWorkflow> signal) {
    send(CampaignRunWorkflow.class, workflowId, signal);
  }

  private <W> void send(Class<W> type, String workflowId, Consumer<W> signal) {
    if (workflowId == null) {
      return;
    }
    Recorded recorded = record(type, signal);
    byte[] arguments =
        workflows
            .getOptions()
            .getDataConverter()
            .toPayloads(recorded.arguments())
            .map(Payloads::toByteArray)
            .orElse(null);
    if (TransactionSynchronizationManager.isActualTransactionActive()) {
      outbox.add(workflowId, recorded.name(), arguments);
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              dispatcher.nudge();
            }
          });
    } else {
      transaction.executeWithoutResult(tx -> outbox.add(workflowId, recorded.name(), arguments));
      dispatcher.nudge();
    }
  }

  /** The signal method {@code signal} calls and its arguments, as Temporal names them. */
  static <W> Recorded record(Class<W> type, Consumer<W> signal) {
    AtomicReference<Recorded> seen = new AtomicReference<>();
    W recorder =
        type.cast(
            Proxy.newProxyInstance(
                type.getClassLoader(),
                new Class<?>[] {type},
                (proxy, method, args) -> {
                  SignalMethod annotation = method.getAnnotation(SignalMethod.class);
                  if (annotation == null || seen.get() != null) {
                    throw new IllegalArgumentException(
                        "a signal is one call of a @SignalMethod; got " + method.getName());
                  }
                  String name = annotation.name().isEmpty() ? method.getName() : annotation.name();
                  seen.set(new Recorded(name, args == null ? new Object[0] : args));
                  return null;
                }));
    signal.accept(recorder);
    return Optional.ofNullable(seen.get())
        .orElseThrow(() -> new IllegalArgumentException("no signal method was called"));
  }

  record Recorded(String name, Object[] arguments) {}
}
