package dev.sequencer.api.trigger;

import dev.sequencer.activities.enrolment.LeadSequenceStarts;
import dev.sequencer.api.temporal.TemporalCalls;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadWriter;
import dev.sequencer.store.lead.LeadWriter.Enrolment;
import dev.sequencer.workflows.TaskQueues;
import dev.sequencer.workflows.campaign.CampaignRunWorkflow;
import dev.sequencer.workflows.lead.LeadSequenceInput;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts the sequences of the leads events enrolled, after their enrolment committed, on a pool of
 * its own so that no answer waits on Temporal: each with signal-with-start (a start that races
 * another becomes a signal), its event as the first signal. Started leads are marked active a batch
 * at a time. Starts wait in a queue of their own and go out at a limited rate, lower while events
 * arrive in bulk; a lead that does not fit the queue, or whose start was lost with its process,
 * stays pending, and {@link StrandedTriggeredLeads} has its campaign's run start it.
 */
@Component
class SequenceStarter {

  private static final Logger log = LoggerFactory.getLogger(SequenceStarter.class);

  /** Sequence starts under way at once: each is a round trip to Temporal. */
  private static final int STARTERS = 8;

  /** Starts and passed-on events waiting at most; past this, leads are left to their runs. */
  private static final int ACTIVATED_PER_TRANSACTION = 500;

  /**
   * A lead to start.
   *
   * @param events the types of the events that enrolled it or came for it in the same batch, in
   *     order: the first is sent with the start, the others after it
   */
  record Start(
      Campaign campaign, Lead lead, String variant, LeadSequenceInput input, List<String> events) {

    String workflowId() {
      return LeadSequenceWorkflow.workflowId(campaign.id(), lead.leadId());
    }
  }

  private final WorkflowClient workflows;
  private final TransactionTemplate transaction;
  private final CampaignRepository campaigns;
  private final LeadWriter writer;
  private final Clock clock;
  private final ExecutorService starters = pool();
  private final LinkedBlockingQueue<Runnable> waiting;
  private final LinkedBlockingQueue<Start> started = new LinkedBlockingQueue<>();
  private final Thread dispatcher;
  private final Thread activator;

  /** Temporal calls a second at most while events are not arriving in bulk. */
  private final double perSecond;

  /**
   * Temporal calls a second at most while they are: on the embedded default a sequence start costs
   * several times the CPU of an event, and the events are answered first.
   */
  private final double perSecondUnderLoad;

  /**
   * The events told to each queued start's sequence since it was queued, by workflow id: they are
   * passed on once it has started.
   */
  private final ConcurrentHashMap<String, List<String>> unstarted = new ConcurrentHashMap<>();

  /** Whether a lead did not fit the queue since the last sweep. */
  private volatile boolean overflowed;

  /** Until when (nanoTime) events count as arriving in bulk. */
  private volatile long loadedUntil;

  SequenceStarter(
      WorkflowClient workflows,
      TransactionTemplate transaction,
      CampaignRepository campaigns,
      LeadWriter writer,
      Clock clock,
      @Value("${sequencer.events.start-rate:500}") double perSecond,
      @Value("${sequencer.events.start-rate-under-load:20}") double perSecondUnderLoad,
      @Value("${sequencer.events.start-backlog:50000}") int backlog) {
    if (backlog < 1) {
      throw new IllegalArgumentException("sequencer.events.start-backlog must be positive");
    }
    this.waiting = new LinkedBlockingQueue<>(backlog);
    if (!(perSecond > 0) || !(perSecondUnderLoad > 0)) {
      throw new IllegalArgumentException(
          "sequencer.events.start-rate and sequencer.events.start-rate-under-load must be positive");
    }
    this.perSecond = perSecond;
    this.perSecondUnderLoad = perSecondUnderLoad;
    this.workflows = workflows;
    this.transaction = transaction;
    this.campaigns = campaigns;
    this.writer = writer;
    this.clock = clock;
    this.activator = new Thread(this::activate, "trigger-activate");
    activator.setDaemon(true);
    activator.start();
    this.dispatcher = new Thread(this::dispatch, "trigger-dispatch");
    dispatcher.setDaemon(true);
    dispatcher.start();
  }

  /**
   * Stops the starts still queued: their leads stay pending, and the sweep of a running replica
   * ({@link StrandedTriggeredLeads}) has their campaigns' runs start them.
   */
  @PreDestroy
  void stop() {
    dispatcher.interrupt();
    starters.shutdownNow();
    activator.interrupt();
  }

  void startAll(List<Start> starts) {
    for (Start start : starts) {
      unstarted.put(start.workflowId(), new ArrayList<>());
      if (!waiting.offer(() -> start(start))) {
        // Left pending: the sweep hands such leads to their campaigns' runs.
        unstarted.remove(start.workflowId());
        overflowed = true;
      }
    }
  }

  /**
   * Whether the pending leads of this replica's triggered campaigns are all queued here (or
   * started): false when none wait, or when some did not fit the queue.
   */
  boolean holdsPending() {
    if (overflowed) {
      overflowed = false;
      return false;
    }
    return !waiting.isEmpty() || ((ThreadPoolExecutor) starters).getActiveCount() > 0;
  }

  /** Events are arriving in bulk: for the next second, starts keep to the rate under load. */
  void underLoad() {
    loadedUntil = System.nanoTime() + 1_000_000_000L;
  }

  /**
   * Passes an event on to a sequence of its contact: after its start when that is still queued
   * here, else at once; a sequence that ended ignores it.
   */
  void tell(String workflowId, String type) {
    if (unstarted.computeIfPresent(
            workflowId,
            (id, later) -> {
              later.add(type);
              return later;
            })
        != null) {
      return;
    }
    Runnable tell =
        () -> {
          try {
            TemporalCalls.run(
                () ->
                    workflows
                        .newWorkflowStub(LeadSequenceWorkflow.class, workflowId)
                        .triggerEvent(type));
          } catch (WorkflowNotFoundException ended) {
            // Ended meanwhile: its timeline has the event.
          } catch (RuntimeException e) {
            log.warn("the event could not be passed on to {}: {}", workflowId, e.toString());
          }
        };
    if (!waiting.offer(tell)) {
      log.warn("the event was not passed on to {}: too many starts wait", workflowId);
    }
  }

  /**
   * Hands the waiting calls to the pool at {@link #perSecond} at most, {@link #perSecondUnderLoad}
   * while events arrive in bulk: a burst of events is answered first, and its sequences start
   * behind it (each before its first step is due, unless the backlog is hours long).
   */
  private void dispatch() {
    long next = System.nanoTime();
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Runnable call = waiting.take();
        long now = System.nanoTime();
        long interval = (long) (1e9 / (now < loadedUntil ? perSecondUnderLoad : perSecond));
        if (next > now) {
          TimeUnit.NANOSECONDS.sleep(next - now);
        } else if (now - next > interval * 10) {
          // Idle a while: no credit saved up beyond ten calls.
          next = now - interval * 10;
        }
        next += interval;
        starters.execute(call);
      } catch (InterruptedException stopping) {
        return;
      } catch (RejectedExecutionException stopped) {
        return;
      }
    }
  }

  private void start(Start start) {
    String workflowId = start.workflowId();
    try {
      LeadSequenceWorkflow stub =
          workflows.newWorkflowStub(
              LeadSequenceWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(workflowId)
                  .setTaskQueue(TaskQueues.SEQUENCER)
                  .setWorkflowIdReusePolicy(
                      WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                  .build());
      TemporalCalls.run(
          () -> {
            BatchRequest request = workflows.newSignalWithStartRequest();
            request.add(stub::run, start.input());
            request.add(stub::triggerEvent, start.events().get(0));
            try {
              workflows.signalWithStart(request);
            } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
              // Started (and ended) before: a repeat of this start.
            }
          });
      // Events told while the start waited come after the batch's own; a later one goes at once.
      List<String> later = new ArrayList<>(start.events().subList(1, start.events().size()));
      later.addAll(Optional.ofNullable(unstarted.remove(workflowId)).orElse(List.of()));
      for (String type : later) {
        TemporalCalls.run(
            () ->
                workflows
                    .newWorkflowStub(LeadSequenceWorkflow.class, workflowId)
                    .triggerEvent(type));
      }
    } catch (RuntimeException e) {
      unstarted.remove(workflowId);
      log.warn(
          "lead {} of campaign {} stays pending: starting its sequence failed ({}); the campaign's"
              + " run enrols it",
          start.lead().leadId(),
          start.campaign().id(),
          e.toString());
      notifyRun(start.campaign());
      return;
    }
    started.add(start);
  }

  /** Marks started leads active as their campaigns are, many in one transaction. */
  private void activate() {
    List<Start> batch = new ArrayList<>();
    while (!Thread.currentThread().isInterrupted()) {
      try {
        batch.add(started.take());
      } catch (InterruptedException stopping) {
        return;
      }
      started.drainTo(batch, ACTIVATED_PER_TRANSACTION - 1);
      try {
        transaction.executeWithoutResult(tx -> markActive(batch));
      } catch (RuntimeException e) {
        // The leads stay pending with their sequences running; the campaign's run enrols them and
        // finds their workflows started.
        log.error("{} started triggered leads were not marked active", batch.size(), e);
        batch.stream().map(Start::campaign).distinct().forEach(this::notifyRun);
      }
      batch.clear();
    }
  }

  private void markActive(List<Start> batch) {
    Map<String, CampaignStatus> statuses = new HashMap<>();
    List<Enrolment> enrolments = new ArrayList<>(batch.size());
    for (Start start : batch) {
      // Under the share lock a pause or cancel takes exclusively: the lead is marked as its
      // campaign is after the change, or before it and then changed with it.
      CampaignStatus status =
          statuses.computeIfAbsent(
              start.campaign().id(),
              id -> campaigns.lockStatusShared(id).orElse(CampaignStatus.RUNNING));
      enrolments.add(
          LeadSequenceStarts.asCampaignIs(
              new Enrolment(
                  start.lead().id(),
                  LeadStatus.ACTIVE,
                  start.variant(),
                  start.workflowId(),
                  "enrolled",
                  "by a trigger event; variant "
                      + start.variant()
                      + ", workflow "
                      + start.workflowId()),
              status));
    }
    writer.enrol(enrolments, clock.instant());
  }

  private void notifyRun(Campaign campaign) {
    try {
      TemporalCalls.run(
          () ->
              workflows
                  .newWorkflowStub(
                      CampaignRunWorkflow.class, CampaignRunWorkflow.workflowId(campaign.id()))
                  .leadsAdded());
    } catch (RuntimeException e) {
      log.error(
          "campaign {} has a pending triggered lead its run was not told about", campaign.id(), e);
    }
  }

  private static ExecutorService pool() {
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            STARTERS,
            STARTERS,
            1,
            TimeUnit.MINUTES,
            new ArrayBlockingQueue<>(STARTERS * 4),
            task -> {
              Thread thread = new Thread(task, "trigger-start-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            },
            // The dispatcher waits for a free starter rather than queue without bound.
            (task, executor) -> {
              try {
                if (!executor.isShutdown()) {
                  executor.getQueue().put(task);
                  return;
                }
              } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
              }
              throw new RejectedExecutionException("stopping");
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
