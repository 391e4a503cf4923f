package dev.sequencer.simulation;

import dev.sequencer.activities.enrolment.VariantAllocations;
import dev.sequencer.activities.limits.SlotCalendar;
import dev.sequencer.activities.planning.CampaignSchedules;
import dev.sequencer.analysis.AbDecisions;
import dev.sequencer.analysis.Decision;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.campaign.CampaignStep;
import dev.sequencer.store.campaign.CampaignVariant;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadStep;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.store.message.Messages;
import dev.sequencer.store.quota.DailyQuota;
import dev.sequencer.store.quota.SendReservations;
import dev.sequencer.store.sender.Senders;
import dev.sequencer.store.suppression.Suppressions;
import dev.sequencer.workflows.campaign.VariantAssignment;
import dev.sequencer.workflows.lead.LeadOutcome;
import dev.sequencer.workflows.lead.LeadSequenceCarry;
import dev.sequencer.workflows.lead.LeadSequenceInput;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import dev.sequencer.workflows.lead.LeadSequenceWorkflowImpl;
import dev.sequencer.workflows.lead.PlanRequest;
import dev.sequencer.workflows.lead.PlannedStep;
import dev.sequencer.workflows.lead.SendFailureTypes;
import dev.sequencer.workflows.lead.SlotRequest;
import dev.sequencer.workflows.schedule.SendPlanner;
import dev.sequencer.workflows.testserver.TimerLockLog;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a campaign's real lead workflow ({@link LeadSequenceWorkflowImpl}) for its leads on a
 * private, time-skipping Temporal test server, with planning, slots and sends in memory: every date
 * comes from the workflow code and the service's own planner and slot search, and nothing is sent
 * or written. Leads are assigned as enrolment assigns them (suppression, holdout, variant); a
 * running campaign's active leads go on from the steps the store shows.
 */
public class CampaignSimulator {

  private static final Logger log = LoggerFactory.getLogger(CampaignSimulator.class);

  static final String TASK_QUEUE = "simulation";

  /**
   * Sends inside a day are projected to this precision: far more leads then share an instant of the
   * private server, which runs the leads of one instant side by side and those of distinct instants
   * one after the other (a per-minute limit keeps slots exact).
   */
  static final Duration SLOT_QUANTUM = Duration.ofMinutes(15);

  /**
   * Workflows kept between their wake-ups; the rest replay their short histories. Measured on two
   * cores with 10,000 leads: 250 or 500 cached run in about 90 s, 1,000 in 113 s, 4,000 in 198 s.
   */
  static final int CACHED_WORKFLOWS = 250;

  /** Starting workflows side by side; the private server takes starts from a few callers best. */
  private static final int STARTERS = 4;

  private final LeadQueries leadQueries;
  private final LeadSteps leadSteps;
  private final Suppressions suppressions;
  private final AbDecisions decisions;
  private final DailyQuota dailyQuota;
  private final SendReservations reservations;
  private final Messages messages;
  private final Senders senders;
  private final Clock clock;
  private final int maxLeads;
  private final Semaphore running;

  /**
   * @param maxLeads the most leads one simulation runs; a bigger campaign is sampled to this size
   * @param concurrent how many simulations may run at once in this process
   */
  public CampaignSimulator(
      LeadQueries leadQueries,
      LeadSteps leadSteps,
      Suppressions suppressions,
      AbDecisions decisions,
      DailyQuota dailyQuota,
      SendReservations reservations,
      Messages messages,
      Senders senders,
      Clock clock,
      int maxLeads,
      int concurrent) {
    this.senders = senders;
    this.leadQueries = leadQueries;
    this.leadSteps = leadSteps;
    this.suppressions = suppressions;
    this.decisions = decisions;
    this.dailyQuota = dailyQuota;
    this.reservations = reservations;
    this.messages = messages;
    this.clock = clock;
    this.maxLeads = maxLeads;
    this.running = new Semaphore(concurrent);
  }

  /** Thrown when as many simulations as allowed already run. */
  public static class BusyException extends RuntimeException {
    BusyException() {
      super("another simulation is running; try again shortly");
    }
  }

  public int maxLeads() {
    return maxLeads;
  }

  /**
   * Simulates what remains of the campaign.
   *
   * @throws BusyException when the process already runs its share of simulations
   */
  public Projection simulate(Campaign campaign, SimulationSettings settings) {
    if (!running.tryAcquire()) {
      throw new BusyException();
    }
    try {
      return run(campaign, settings);
    } finally {
      running.release();
    }
  }

  private Projection run(Campaign campaign, SimulationSettings settings) {
    Instant now = clock.instant();
    boolean started =
        campaign.status() != CampaignStatus.DRAFT && campaign.status() != CampaignStatus.SCHEDULED;
    Instant start =
        !started && settings.startAt() != null
            ? settings.startAt()
            : campaign.startAt() != null && campaign.startAt().isAfter(now)
                ? campaign.startAt()
                : now;
    List<Lead> open = openLeads(campaign.id(), started);
    long paused = started ? leadQueries.count(campaign.id(), LeadStatus.PAUSED) : 0;
    int wanted = settings.sample() == null ? maxLeads : Math.min(settings.sample(), maxLeads);
    List<Lead> chosen = sample(open, wanted, settings.seed());
    double share = open.isEmpty() ? 1 : (double) chosen.size() / open.size();
    double scale = 1 / share;

    Map<Long, SimulatedLead> leads = new LinkedHashMap<>();
    Map<Long, Lead> stored = new HashMap<>();
    long holdout = 0;
    long suppressed = 0;
    Set<String> suppressedAddresses = suppressedAmong(campaign, chosen);
    List<VariantAssignment.Allocation> allocations = allocations(campaign);
    for (Lead lead : chosen) {
      String recipient = campaign.channel() == Channel.EMAIL ? lead.email() : lead.phone();
      String variant = lead.variant();
      if (lead.status() == LeadStatus.PENDING) {
        if (recipient == null || suppressedAddresses.contains(recipient)) {
          suppressed++;
          continue;
        }
        variant =
            VariantAssignment.assign(
                campaign.id(), lead.leadId(), campaign.holdoutPercentage(), allocations);
        if (VariantAssignment.HOLDOUT.equals(variant)) {
          holdout++;
          continue;
        }
      }
      String effective = variant == null ? CampaignVariant.BASE : variant;
      SimulatedLead.Response response =
          SimulatedLead.draw(
              settings.seed(),
              lead.leadId(),
              campaign.stepsOf(effective).size(),
              settings.bounceRate(),
              settings.optOutRate(),
              settings.replyRateOf(effective));
      leads.put(
          lead.id(),
          new SimulatedLead(
              lead.id(),
              lead.leadId(),
              effective,
              ZoneId.of(lead.timezone()),
              CampaignSchedules.stateOf(campaign, lead),
              recipient,
              response));
      stored.put(lead.id(), lead);
    }

    SendPlanner planner = new SendPlanner(CampaignSchedules.rulesOf(campaign));
    Tally tally =
        new Tally(
            ZoneId.of(campaign.schedule().timezone()),
            planner.calendar(),
            campaign.baseSteps().stream().map(s -> s.type().wireName()).toList(),
            variantsOf(campaign));
    LocalDate today = LocalDate.ofInstant(now, ZoneId.of(campaign.schedule().timezone()));
    DayLedger ledger =
        new DayLedger(
            share,
            perMinuteLimited(campaign) ? Duration.ZERO : SLOT_QUANTUM,
            started ? dailyQuota.usageFrom(campaign.id(), today.minusDays(1)) : List.of(),
            started ? reservations.ofCampaign(campaign.id()) : List.of());
    SimulationRun run = new SimulationRun(campaign, leads, ledger, tally, share);
    Integer capDays = campaign.limits() == null ? null : campaign.limits().frequencyCapDays();
    Map<String, Instant> earlier =
        capDays == null || capDays <= 0
            ? Map.of()
            : messages.lastSentByRecipient(
                campaign.organizationId(), campaign.id(), start.minus(Duration.ofDays(capDays)));

    runWorkflows(run, stored, new SimulatedSending(run, earlier), start);

    Projection.Outcomes outcomes =
        tally.outcomes(scale, Math.round(holdout * scale), Math.round(suppressed * scale));
    List<String> warnings = new ArrayList<>();
    Warnings.add(warnings, campaign, tally, outcomes, paused, open.size(), chosen.size());
    if (!SlotCalendar.limitedSenders(campaign, senders).isEmpty()) {
      warnings.add(
          "the daily limits, ramp-up and spacing of the campaign's senders are not projected:"
              + " the organization's other campaigns share them, so sends may come later than"
              + " shown");
    }
    return new Projection(
        open.size(),
        chosen.size(),
        tally.first(),
        tally.last(),
        tally.days(scale),
        tally.deferred(scale),
        outcomes,
        tally.autoWinner(campaign.autoWinner(), scale),
        warnings);
  }

  private void runWorkflows(
      SimulationRun run, Map<Long, Lead> stored, SimulatedSending sending, Instant start) {
    int leads = run.leads().size();
    TestWorkflowEnvironment environment =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setInitialTime(start)
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        // A cached workflow holds a thread while it waits: past a few thousand,
                        // switching between them costs more than replaying the evicted ones.
                        .setWorkflowCacheSize(Math.min(leads, CACHED_WORKFLOWS))
                        .setMaxWorkflowThreadCount(Math.min(leads, CACHED_WORKFLOWS) + 200)
                        .build())
                .build());
    try {
      TimerLockLog.switchOff(environment);
      Worker worker =
          environment.newWorker(
              TASK_QUEUE,
              WorkerOptions.newBuilder()
                  // Few threads: the activities are in memory and the machine's cores are all the
                  // server's and the workflows' too; more threads only switch more.
                  .setMaxConcurrentActivityExecutionSize(4)
                  .setMaxConcurrentLocalActivityExecutionSize(4)
                  .setMaxConcurrentWorkflowTaskExecutionSize(4)
                  .setMaxConcurrentWorkflowTaskPollers(2)
                  .setMaxConcurrentActivityTaskPollers(2)
                  .build());
      worker.registerWorkflowImplementationTypes(LeadSequenceWorkflowImpl.class);
      worker.registerActivitiesImplementations(new SimulatedPlanning(run), sending);
      environment.start();
      long began = System.nanoTime();
      List<WorkflowStub> runs = startAll(environment.getWorkflowClient(), run, stored, start);
      long started = System.nanoTime();
      for (WorkflowStub stub : runs) {
        stub.getResult(LeadOutcome.class);
      }
      log.info(
          "campaign {}: simulated {} leads; started in {} ms, ran in {} ms",
          run.campaign().id(),
          leads,
          (started - began) / 1_000_000,
          (System.nanoTime() - started) / 1_000_000);
    } finally {
      environment.close();
    }
  }

  private List<WorkflowStub> startAll(
      WorkflowClient client, SimulationRun run, Map<Long, Lead> stored, Instant start) {
    Campaign campaign = run.campaign();
    List<SimulatedLead> all = new ArrayList<>(run.leads().values());
    // Planned (and their hooks' slots taken) one after the other in lead order, so that which lead
    // gets which slot does not depend on the order the workflows happen to run in.
    List<LeadSequenceInput> inputs = new ArrayList<>(all.size());
    SimulatedPlanning planning = new SimulatedPlanning(run);
    for (SimulatedLead lead : all) {
      LeadSequenceInput input = inputOf(run, stored.get(lead.pk), lead, start);
      if (input.planned() != null && run.limited()) {
        planning.reserveSlot(
            new SlotRequest(
                LeadSequenceWorkflow.workflowId(campaign.id(), lead.leadId),
                lead.pk,
                0,
                input.planned().steps().get(0).scheduledAt()));
      }
      inputs.add(input);
    }
    WorkflowStub[] stubs = new WorkflowStub[all.size()];
    List<Thread> starters = new ArrayList<>();
    List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < STARTERS; t++) {
      int offset = t;
      Thread starter =
          new Thread(
              () -> {
                try {
                  for (int i = offset; i < all.size(); i += STARTERS) {
                    LeadSequenceWorkflow workflow =
                        client.newWorkflowStub(
                            LeadSequenceWorkflow.class,
                            WorkflowOptions.newBuilder()
                                .setWorkflowId(
                                    LeadSequenceWorkflow.workflowId(
                                        campaign.id(), all.get(i).leadId))
                                .setTaskQueue(TASK_QUEUE)
                                .build());
                    WorkflowClient.start(workflow::run, inputs.get(i));
                    stubs[i] = WorkflowStub.fromTyped(workflow);
                  }
                } catch (RuntimeException e) {
                  failures.add(e);
                }
              },
              "simulation-start-" + t);
      starter.start();
      starters.add(starter);
    }
    for (Thread starter : starters) {
      try {
        starter.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the simulation", e);
      }
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
    return List.of(stubs);
  }

  /**
   * A pending lead starts as enrolment starts it, with its plan made first; an active lead goes on
   * from the steps the store shows, as a run continued as new would.
   */
  private LeadSequenceInput inputOf(
      SimulationRun run, Lead lead, SimulatedLead simulated, Instant start) {
    Campaign campaign = run.campaign();
    LeadSequenceInput input =
        new LeadSequenceInput(
            campaign.organizationId(), campaign.id(), lead.leadId(), lead.id(), start);
    if (lead.status() == LeadStatus.PENDING) {
      try {
        return input.withPlan(
            SimulatedPlanning.planOf(run, simulated, PlanRequest.fromStart(lead.id(), start)));
      } catch (ApplicationFailure unplannable) {
        // As enrolment does: the workflow plans for itself and fails the lead with the reason.
        if (!SendFailureTypes.NO_ALLOWED_TIME.equals(unplannable.getType())) {
          throw unplannable;
        }
        return input;
      }
    }
    List<CampaignStep> steps = campaign.stepsOf(simulated.variant);
    List<PlannedStep> plan = new ArrayList<>();
    int next = steps.size();
    Instant lastSentAt = null;
    int lastSentDay = 0;
    for (LeadStep step : leadSteps.of(lead.id())) {
      int day = step.position() < steps.size() ? steps.get(step.position()).day() : 0;
      boolean sent = step.sentAt() != null;
      Instant at = sent ? step.sentAt() : step.scheduledAt() == null ? start : step.scheduledAt();
      plan.add(
          new PlannedStep(
              step.position(), step.type(), day, at, sent ? "sent" : "scheduled", step.reason()));
      if (sent) {
        lastSentAt = step.sentAt();
        lastSentDay = day;
      } else if (next == steps.size() && "scheduled".equals(step.status())) {
        next = step.position();
      }
    }
    plan.sort(Comparator.comparingInt(PlannedStep::position));
    run.tally().planned(simulated, plan.subList(Math.min(next, plan.size()), plan.size()));
    LeadSequenceCarry carry =
        new LeadSequenceCarry(
            plan, next, false, false, start, lastSentAt, lastSentDay, false, null, run.limited());
    return new LeadSequenceInput(
        campaign.organizationId(),
        campaign.id(),
        lead.leadId(),
        lead.id(),
        start,
        carry,
        null,
        null);
  }

  private List<Lead> openLeads(String campaignId, boolean started) {
    List<Lead> open = new ArrayList<>(all(campaignId, LeadStatus.PENDING));
    if (started) {
      open.addAll(all(campaignId, LeadStatus.ACTIVE));
    }
    open.sort(Comparator.comparingLong(Lead::id));
    return open;
  }

  private List<Lead> all(String campaignId, LeadStatus status) {
    List<Lead> out = new ArrayList<>();
    int page = 1_000;
    for (long offset = 0; ; offset += page) {
      List<Lead> batch = leadQueries.page(campaignId, status, page, offset);
      out.addAll(batch);
      if (batch.size() < page) {
        return out;
      }
    }
  }

  /** Up to {@code size} of the leads, the same ones for the same seed, in their stored order. */
  static List<Lead> sample(List<Lead> leads, int size, long seed) {
    if (leads.size() <= size) {
      return leads;
    }
    List<Lead> shuffled = new ArrayList<>(leads);
    Collections.shuffle(shuffled, new Random(seed));
    List<Lead> chosen = new ArrayList<>(shuffled.subList(0, size));
    chosen.sort(Comparator.comparingLong(Lead::id));
    return chosen;
  }

  private Set<String> suppressedAmong(Campaign campaign, List<Lead> leads) {
    Channel channel = campaign.channel();
    List<String> addresses =
        leads.stream()
            .filter(lead -> lead.status() == LeadStatus.PENDING)
            .map(lead -> channel == Channel.EMAIL ? lead.email() : lead.phone())
            .filter(Objects::nonNull)
            .toList();
    Set<String> out = new HashSet<>();
    for (int i = 0; i < addresses.size(); i += 1_000) {
      out.addAll(
          suppressions.suppressedAmong(
              campaign.organizationId(),
              channel.name(),
              addresses.subList(i, Math.min(addresses.size(), i + 1_000))));
    }
    return out;
  }

  private List<VariantAssignment.Allocation> allocations(Campaign campaign) {
    return VariantAllocations.of(campaign, decisions.of(campaign.id()).map(Decision::winner));
  }

  private static boolean perMinuteLimited(Campaign campaign) {
    return campaign.limits() != null && campaign.limits().perMinute() != null;
  }

  private static List<String> variantsOf(Campaign campaign) {
    List<String> variants = new ArrayList<>();
    variants.add(CampaignVariant.BASE);
    campaign.variants().stream()
        .map(CampaignVariant::name)
        .filter(name -> !CampaignVariant.BASE.equals(name))
        .forEach(variants::add);
    return variants;
  }
}
