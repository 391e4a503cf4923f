package dev.sequencer.activities.enrolment;

import dev.sequencer.activities.limits.SlotCalendar;
import dev.sequencer.activities.planning.PlanningActivitiesImpl;
import dev.sequencer.analysis.AbDecisions;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignRuns;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.campaign.CampaignTransitions;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadStep;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.store.lead.LeadWriter;
import dev.sequencer.store.lead.LeadWriter.Enrolment;
import dev.sequencer.store.suppression.Suppressions;
import dev.sequencer.store.trigger.CampaignTriggers;
import dev.sequencer.store.trigger.TriggerEnrolments;
import dev.sequencer.workflows.TaskQueues;
import dev.sequencer.workflows.campaign.EnrolmentActivities;
import dev.sequencer.workflows.campaign.LeadCommand;
import dev.sequencer.workflows.campaign.VariantAssignment;
import dev.sequencer.workflows.lead.LeadEnding;
import dev.sequencer.workflows.lead.LeadSequenceInput;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import dev.sequencer.workflows.lead.SequencePlan;
import dev.sequencer.workflows.lead.Stop;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Lazy;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

@Component
public class EnrolmentActivitiesImpl implements EnrolmentActivities {

  private final Duration strandedGrace;

  private static final int BATCH = 200;

  /**
   * Lead workflows this worker starts at the same time, over all campaigns: a start is a round trip
   * to Temporal, so one at a time would make a 100k-lead campaign wait on 100k round trips.
   */
  private static final int CONCURRENT_STARTS = 16;

  /**
   * Signals a broadcast has in flight at once: a signal is a round trip to Temporal, and a resume
   * or cancel must reach 100,000 leads within a minute.
   */
  private static final int SIGNALS_IN_FLIGHT =
      Integer.getInteger("sequencer.broadcast.signals", 64);

  /** Leads a broadcast reads per page. */
  private static final int BROADCAST_PAGE = 1_000;

  /** How long the activity waits for a page's starts before heartbeating anyway. */
  private static final long START_WAIT_SECONDS = 10;

  private final CampaignRepository campaigns;
  private final CampaignTransitions transitions;
  private final CampaignRuns runs;
  private final LeadQueries leads;
  private final LeadWriter writer;
  private final LeadSteps leadSteps;
  private final Suppressions suppressions;
  private final WorkflowClient workflows;
  private final Clock clock;
  private final TransactionTemplate transaction;

  private final EnrolmentMeters meters;
  private final LeadSequenceStarts sequenceStarts;
  private final CampaignTriggers triggers;
  private final TriggerEnrolments triggerEnrolments;
  private final AudienceEnrolment audienceEnrolment;

  private final ExecutorService starts;

  private final ExecutorService signals;

  public EnrolmentActivitiesImpl(
      CampaignRepository campaigns,
      CampaignTransitions transitions,
      CampaignRuns runs,
      AbDecisions decisions,
      LeadQueries leads,
      LeadWriter writer,
      LeadSteps leadSteps,
      Suppressions suppressions,
      @Lazy WorkflowClient workflows,
      Clock clock,
      TransactionTemplate transaction,
      EnrolmentMeters meters,
      SenderAssignment senderAssignment,
      SlotCalendar slots,
      CampaignTriggers triggers,
      TriggerEnrolments triggerEnrolments,
      AudienceEnrolment audienceEnrolment,
      @Value("${sequencer.send.timeout:2m}") Duration sendTimeout,
      @Value("${sequencer.events.stranded-grace:30s}") Duration strandedGrace) {
    this.strandedGrace = strandedGrace;
    this.sequenceStarts = new LeadSequenceStarts(decisions, senderAssignment, slots, sendTimeout);
    this.triggers = triggers;
    this.triggerEnrolments = triggerEnrolments;
    this.audienceEnrolment = audienceEnrolment;
    this.campaigns = campaigns;
    this.transitions = transitions;
    this.runs = runs;
    this.leads = leads;
    this.writer = writer;
    this.leadSteps = leadSteps;
    this.suppressions = suppressions;
    this.workflows = workflows;
    this.clock = clock;
    this.transaction = transaction;
    this.meters = meters;
    this.starts = daemonPool("enrolment-start-", CONCURRENT_STARTS);
    this.signals = daemonPool("broadcast-signal-", SIGNALS_IN_FLIGHT);
  }

  /** Idle threads end after a minute; daemon threads, so the pool needs no shutdown. */
  private static ExecutorService daemonPool(String name, int size) {
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            size,
            size,
            1,
            TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(),
            task -> {
              Thread thread = new Thread(task, name + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  @Override
  public void markRunning(String campaignId) {
    // In place rather than a save of the aggregate: a pause or PATCH committed meanwhile stays.
    transitions.markRunning(campaignId);
  }

  @Override
  public long enrolPending(String campaignId, Instant sequenceStart) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    // One number, as before audiences, so an attempt resumes whatever worker version wrote it:
    // negative, the audience's members are being added as leads, up to the negated contact key;
    // zero or positive, pending leads are being enrolled after this lead key.
    long progress = context.getHeartbeatDetails(Long.class).orElse(0L);
    Campaign campaign = campaigns.findById(campaignId).orElseThrow();
    if (campaign.status() == CampaignStatus.DRAFT) {
      // A run left over from a start whose outcome Temporal never confirmed; the API put the
      // campaign back to draft, and its next start replaces this run.
      return 0;
    }
    if (progress <= 0) {
      audienceEnrolment.addMembers(campaign, -progress, contactPk -> context.heartbeat(-contactPk));
    }
    long after = Math.max(progress, 0);
    List<VariantAssignment.Allocation> allocations = allocations(campaign);
    // An event's lead is started by the api that took the event, behind its answer; the run takes
    // only those left pending past the grace period (the api died, or its starts fell behind), so
    // that the two do not start the same leads at once.
    Instant createdBefore =
        triggers.isTriggered(campaignId) ? clock.instant().minus(strandedGrace) : null;
    long enrolled = 0;
    for (List<Lead> batch = leads.pendingAfter(campaignId, after, BATCH, createdBefore);
        !batch.isEmpty();
        batch = leads.pendingAfter(campaignId, after, BATCH, createdBefore)) {
      enrolled += enrol(context, after, campaign, batch, allocations, sequenceStart);
      after = batch.get(batch.size() - 1).id();
      context.heartbeat(after);
    }
    return enrolled;
  }

  @Override
  public void broadcast(String campaignId, LeadCommand command) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    long after = context.getHeartbeatDetails(Long.class).orElse(0L);
    // A page's signals go out side by side, like enrolment's starts, and the next page is read and
    // queued while the one before finishes, so the signals in flight never drain at a page's end.
    // The heartbeat names the last page whose signals have all gone out: a retry resumes there.
    java.util.ArrayDeque<SentPage> sending = new java.util.ArrayDeque<>();
    for (List<Lead> page = recipients(campaignId, command, after);
        !page.isEmpty();
        page = recipients(campaignId, command, after)) {
      List<Future<?>> sent = new ArrayList<>(page.size());
      for (Lead lead : page) {
        sent.add(signals.submit(() -> signal(lead.workflowId(), command)));
      }
      after = page.get(page.size() - 1).id();
      sending.add(new SentPage(after, sent));
      if (sending.size() > 1) {
        context.heartbeat(sending.poll().await());
      }
    }
    while (!sending.isEmpty()) {
      context.heartbeat(sending.poll().await());
    }
  }

  /** One page of a broadcast whose signals are under way. */
  private record SentPage(long lastLeadId, List<Future<?>> signals) {

    /** Waits until every signal of the page is out; returns the page's last lead id. */
    long await() {
      for (Future<?> signal : signals) {
        try {
          signal.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while signalling", e);
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RuntimeException r
              ? r
              : new IllegalStateException(e.getCause());
        }
      }
      return lastLeadId;
    }
  }

  /**
   * A campaign's resume wakes only the leads whose workflow waits on the pause (a step fell due
   * while paused); a lead that support paused on its own stays paused, as its store status says.
   * Other commands go to every lead whose workflow may still run.
   */
  private List<Lead> recipients(String campaignId, LeadCommand command, long after) {
    return command.kind() == LeadCommand.Kind.RESUME
        ? leads.waitingOnPauseAfter(campaignId, after, BROADCAST_PAGE)
        : leads.runningAfter(campaignId, after, BROADCAST_PAGE);
  }

  @Override
  public boolean completeIfDone(String campaignId) {
    // A triggered campaign waits for events for as long as it runs: it ends only when cancelled.
    if (triggers.isTriggered(campaignId)) {
      return false;
    }
    return campaigns.completeIfDone(campaignId) > 0;
  }

  @Override
  public Instant nextOccurrence(String campaignId, Instant after) {
    Campaign campaign = campaigns.findById(campaignId).orElseThrow();
    String recurrence = campaign.schedule().recurrence();
    if (recurrence == null || recurrence.isBlank()) {
      return null;
    }
    // Five-field cron as API.md writes it; Spring's parser wants seconds first.
    ZonedDateTime next =
        CronExpression.parse("0 " + recurrence.trim())
            .next(after.atZone(ZoneId.of(campaign.schedule().timezone())));
    return next == null ? null : next.toInstant();
  }

  @Override
  public void recordRun(String campaignId, Instant startedAt, long enrolled) {
    runs.record(campaignId, startedAt, enrolled);
  }

  private void signal(String workflowId, LeadCommand command) {
    LeadSequenceWorkflow lead = workflows.newWorkflowStub(LeadSequenceWorkflow.class, workflowId);
    try {
      switch (command.kind()) {
        case PAUSE -> lead.pause(command.reason());
        case RESUME -> lead.resume();
        case STOP -> lead.stop(new Stop(LeadEnding.CANCELLED, command.reason()));
        case RESCHEDULE -> lead.reschedule(command.at());
      }
    } catch (WorkflowNotFoundException ended) {
      // The sequence has already ended.
    }
  }

  private List<VariantAssignment.Allocation> allocations(Campaign campaign) {
    return sequenceStarts.allocations(campaign);
  }

  /** A lead of the page whose sequence starts, and how it is recorded once started. */
  private record Start(Lead lead, Enrolment enrolment) {}

  /**
   * Enrols one page of pending leads: one query for their suppressions, one batch for the variants
   * of the leads that get a sequence, their workflow starts side by side, and one batch that marks
   * the whole page and writes its timeline.
   *
   * @param after the last lead id of the pages before, heartbeated while the starts are slow
   * @return how many of the page's leads this call moved out of pending
   */
  private long enrol(
      ActivityExecutionContext context,
      long after,
      Campaign campaign,
      List<Lead> page,
      List<VariantAssignment.Allocation> allocations,
      Instant sequenceStart) {
    // A campaign whose steps mix channels routes each step when it is due; only a campaign on one
    // channel that has an address (email, SMS, WhatsApp) suppresses a lead at enrolment.
    Channel channel =
        campaign.mixesChannels() || !campaign.channel().suppressible() ? null : campaign.channel();
    Set<String> suppressed =
        channel == null
            ? Set.of()
            : suppressions.suppressedAmong(
                campaign.organizationId(),
                channel.name(),
                page.stream()
                    .map(lead -> lead.addressOn(channel))
                    .filter(Objects::nonNull)
                    .toList());
    List<Enrolment> enrolments = new ArrayList<>(page.size());
    List<Start> toStart = new ArrayList<>(page.size());
    for (Lead lead : page) {
      String address = channel == null ? null : lead.addressOn(channel);
      if (channel != null && (address == null || suppressed.contains(address))) {
        enrolments.add(
            new Enrolment(
                lead.id(),
                LeadStatus.SUPPRESSED,
                null,
                null,
                "suppressed",
                address == null
                    ? "no " + channel.wireName() + " address"
                    : "on the suppression list"));
        continue;
      }
      String variant = LeadSequenceStarts.variantOf(campaign, lead.leadId(), allocations);
      if (VariantAssignment.HOLDOUT.equals(variant)) {
        enrolments.add(
            new Enrolment(
                lead.id(),
                LeadStatus.HOLDOUT,
                null,
                null,
                "holdout",
                "kept out of all messages to measure lift"));
        continue;
      }
      String workflowId = LeadSequenceWorkflow.workflowId(campaign.id(), lead.leadId());
      toStart.add(
          new Start(
              lead,
              new Enrolment(
                  lead.id(),
                  LeadStatus.ACTIVE,
                  variant,
                  workflowId,
                  "enrolled",
                  "variant " + variant + ", workflow " + workflowId)));
    }
    List<Enrolment> started = toStart.stream().map(Start::enrolment).toList();
    writer.assignVariants(started);
    writer.assignSenders(
        sequenceStarts.senders(campaign, toStart.stream().map(s -> s.lead().id()).toList()));
    // A lead a trigger enrolled starts when its event (and delay) says, not with this page.
    Map<Long, Instant> starts =
        triggerEnrolments.startsOf(toStart.stream().map(s -> s.lead().id()).toList());
    // The page's plans, made here and stored in one statement rather than by each lead's first
    // workflow task one by one; each workflow gets its plan in its input.
    Map<Long, SequencePlan> plans = new HashMap<>();
    boolean slotted = sequenceStarts.isSlotted(campaign);
    for (Start start : toStart) {
      Lead lead = start.lead();
      // Null when its state leaves no time to message it: its workflow starts without a plan,
      // plans for itself and records the lead failed with the reason.
      SequencePlan plan =
          LeadSequenceStarts.plan(
              campaign,
              start.enrolment().variant(),
              lead,
              starts.getOrDefault(lead.id(), sequenceStart),
              slotted);
      if (plan != null) {
        plans.put(lead.id(), plan);
      }
    }
    Map<Long, List<LeadStep>> stored = new HashMap<>();
    plans.forEach(
        (leadPk, plan) -> stored.put(leadPk, PlanningActivitiesImpl.stored(plan.steps())));
    leadSteps.planAll(stored);
    // Start before marking the leads active: a crash in between leaves them pending, and the
    // retry's second start of each is refused by its workflow id, so no lead is lost or started
    // twice. A start that fails fails the page before any of it is marked.
    startAll(context, after, campaign, toStart, sequenceStart, starts, plans);
    meters.enrolled(toStart.size());
    enrolments.addAll(started);
    // Under the share lock a send takes, so a pause, resume or cancel of the campaign commits
    // before or after the page, never beside it: a lead started meanwhile is marked as the campaign
    // is, and the campaign's bulk change either sees it or it sees the change.
    boolean[] changed =
        transaction.execute(
            tx -> {
              CampaignStatus now =
                  campaigns.lockStatusShared(campaign.id()).orElse(CampaignStatus.RUNNING);
              return writer.enrol(
                  enrolments.stream().map(e -> LeadSequenceStarts.asCampaignIs(e, now)).toList(),
                  clock.instant());
            });
    long moved = 0;
    for (boolean one : changed) {
      moved += one ? 1 : 0;
    }
    return moved;
  }

  /** Starts the leads' workflows on the start pool and waits for all of them. */
  private void startAll(
      ActivityExecutionContext context,
      long after,
      Campaign campaign,
      List<Start> toStart,
      Instant sequenceStart,
      Map<Long, Instant> startAts,
      Map<Long, SequencePlan> plans) {
    List<Future<?>> futures = new ArrayList<>(toStart.size());
    Throwable failure = null;
    try {
      for (Start start : toStart) {
        Lead lead = start.lead();
        LeadSequenceInput input =
            sequenceStarts.input(
                campaign,
                lead,
                startAts.getOrDefault(lead.id(), sequenceStart),
                plans.get(lead.id()));
        futures.add(starts.submit(() -> start(start.enrolment().workflowId(), input)));
      }
      for (Future<?> future : futures) {
        while (true) {
          try {
            future.get(START_WAIT_SECONDS, TimeUnit.SECONDS);
            break;
          } catch (TimeoutException slow) {
            // Still alive; also where a cancellation of the activity arrives.
            context.heartbeat(after);
          } catch (ExecutionException failed) {
            if (failure == null) {
              failure = failed.getCause();
            } else {
              failure.addSuppressed(failed.getCause());
            }
            break;
          }
        }
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting lead workflows", interrupted);
    } finally {
      // A no-op once every start has finished; otherwise no start outlives this attempt.
      futures.forEach(future -> future.cancel(true));
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    if (failure != null) {
      throw new IllegalStateException("starting a lead workflow failed", failure);
    }
  }

  private void start(String workflowId, LeadSequenceInput input) {
    LeadSequenceWorkflow stub =
        workflows.newWorkflowStub(
            LeadSequenceWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.SEQUENCER)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
    try {
      WorkflowClient.start(stub::run, input);
    } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
      // Started by an earlier attempt of this activity.
    }
  }
}
