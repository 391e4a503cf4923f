package dev.sequencer.api.inbound.email;

import dev.sequencer.config.SequencerProperties;
import dev.sequencer.workflows.TaskQueues;
import dev.sequencer.workflows.mailbox.MailboxActivities;
import dev.sequencer.workflows.mailbox.MailboxPollerInput;
import dev.sequencer.workflows.mailbox.MailboxPollerWorkflow;
import dev.sequencer.workflows.mailbox.MailboxPollerWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Lazy;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * One poller workflow per mailbox, started here and served by a worker of this api process (the
 * reads are processed where inbound mail is). However many replicas run, a mailbox's workflow id
 * lets only one poller read it; a replica that finds it running leaves it be, and a poller whose
 * mailbox is no longer used ends by itself. With {@code sequencer.imap.poller=scheduled} every
 * process polls every mailbox instead ({@link ImapPoller#poll()}).
 */
@Component
class MailboxPollers implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(MailboxPollers.class);

  /** Every so many checks the pollers believed running are started again (a no-op if they run). */
  private static final int RECHECK_EVERY = 10;

  private final WorkflowClient workflows;
  private final ImapPoller mailboxes;
  private final MailboxActivities activities;
  private final boolean enabled;
  private final Duration interval;
  private final Duration maxBackOff;
  private final boolean sticky;
  private final Set<String> running = new HashSet<>();
  private WorkerFactory factory;
  private int checks;

  MailboxPollers(
      @Lazy WorkflowClient workflows,
      ImapPoller mailboxes,
      MailboxActivities activities,
      SequencerProperties properties,
      @Value("${sequencer.imap.poller:workflow}") String poller,
      @Value("${sequencer.imap.max-back-off:10m}") Duration maxBackOff,
      @Value("${sequencer.imap.poller-sticky:true}") boolean sticky) {
    this.sticky = sticky;
    this.workflows = workflows;
    this.mailboxes = mailboxes;
    this.activities = activities;
    this.enabled = "workflow".equals(poller);
    Duration configured = properties.imap().pollInterval();
    this.interval = configured == null ? Duration.ofSeconds(5) : configured;
    this.maxBackOff = maxBackOff.compareTo(interval) < 0 ? interval : maxBackOff;
  }

  /** Starts a poller for each mailbox in use that has none running. */
  @Scheduled(
      fixedDelayString = "${sequencer.imap.poller-check:5s}",
      initialDelayString = "${sequencer.imap.initial-delay:2s}")
  synchronized void ensurePollers() {
    if (!enabled || factory == null) {
      return;
    }
    if (++checks % RECHECK_EVERY == 0) {
      running.clear();
    }
    for (ImapPoller.Mailbox mailbox : mailboxes.mailboxes()) {
      String key = mailbox.key();
      if (running.contains(key)) {
        continue;
      }
      MailboxPollerWorkflow poller =
          workflows.newWorkflowStub(
              MailboxPollerWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setTaskQueue(TaskQueues.MAILBOXES)
                  .setWorkflowId(MailboxPollerWorkflow.workflowId(key))
                  .build());
      try {
        WorkflowClient.start(
            poller::poll, new MailboxPollerInput(key, interval, maxBackOff, 0, null));
        log.info("mailbox {} has a poller now", mailbox);
        running.add(key);
      } catch (WorkflowExecutionAlreadyStarted alreadyPolled) {
        running.add(key);
      } catch (RuntimeException e) {
        log.warn("no poller could be started for mailbox {}: {}", mailbox, e.getMessage());
      }
    }
  }

  @Override
  public synchronized void start() {
    if (!enabled) {
      return;
    }
    factory = WorkerFactory.newInstance(workflows);
    // Without sticky execution every workflow task goes to the shared queue: Temporal's Java test
    // server never moves a dead worker's sticky tasks back, a real server does after 5 s.
    Worker worker =
        factory.newWorker(
            TaskQueues.MAILBOXES,
            sticky
                ? WorkerOptions.getDefaultInstance()
                : WorkerOptions.newBuilder()
                    .setStickyQueueScheduleToStartTimeout(Duration.ZERO)
                    .build());
    worker.registerWorkflowImplementationTypes(MailboxPollerWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
    factory.start();
  }

  @Override
  public synchronized void stop() {
    if (factory != null) {
      factory.shutdown();
      factory = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return factory != null;
  }
}
