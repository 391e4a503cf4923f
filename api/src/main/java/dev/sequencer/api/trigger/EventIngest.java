package dev.sequencer.api.trigger;

import dev.sequencer.activities.enrolment.LeadSequenceStarts;
import dev.sequencer.activities.planning.PlanningActivitiesImpl;
import dev.sequencer.api.temporal.TemporalCalls;
import dev.sequencer.content.PhoneNumbers;
import dev.sequencer.store.Ids;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.contact.Contact;
import dev.sequencer.store.contact.Contacts;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.store.lead.LeadWriter;
import dev.sequencer.store.lead.LeadWriter.Enrolment;
import dev.sequencer.store.suppression.Suppressions;
import dev.sequencer.store.trigger.CampaignTriggers;
import dev.sequencer.store.trigger.ConditionCheck;
import dev.sequencer.store.trigger.ContactEvents;
import dev.sequencer.store.trigger.EventContacts;
import dev.sequencer.store.trigger.Trigger;
import dev.sequencer.store.trigger.TriggerEnrolments;
import dev.sequencer.workflows.TaskQueues;
import dev.sequencer.workflows.campaign.CampaignRunWorkflow;
import dev.sequencer.workflows.campaign.VariantAssignment;
import dev.sequencer.workflows.lead.LeadSequenceInput;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import dev.sequencer.workflows.lead.SequencePlan;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records an event for its contact and enrols the contact into every running triggered campaign
 * whose trigger it meets, in one transaction; after the commit, starts each new lead's sequence
 * with signal-with-start (a start that races another becomes a signal) and tells the sequences the
 * contact is already in about the event, on a pool of its own, so the answer does not wait on
 * Temporal.
 */
@Service
public class EventIngest {

  private static final Logger log = LoggerFactory.getLogger(EventIngest.class);

  /** The answer to an event, kept with it so that its repeat answers the same. */
  public record Answer(List<Enrolled> enrolled) {}

  public record Enrolled(String campaignId, String leadId, Instant startAt) {}

  /** A new lead whose sequence starts after the commit. */
  private record NewLead(Campaign campaign, Lead lead, String variant, LeadSequenceInput input) {}

  /** A running sequence of the contact that the event is passed on to. */
  private record Known(String workflowId) {}

  private final TransactionTemplate transaction;
  private final ContactEvents events;
  private final EventContacts eventContacts;
  private final Contacts contacts;
  private final CampaignTriggers triggers;
  private final TriggerEnrolments enrolments;
  private final CampaignRepository campaigns;
  private final Suppressions suppressions;
  private final LeadWriter writer;
  private final LeadSteps leadSteps;
  private final LeadTimeline timeline;
  private final LeadSequenceStarts sequenceStarts;
  private final WorkflowClient workflows;
  private final dev.sequencer.api.signal.WorkflowSignals signals;
  private final Clock clock;

  /** The API's own mapper: the stored answer is written as the API answers (snake_case). */
  private final JsonMapper json;

  private static final int MAX_CACHED = 1_000;

  /** Sequence starts under way at once: each is a round trip to Temporal. */
  private static final int STARTERS = Integer.getInteger("sequencer.events.starters", 32);

  private static final int START_QUEUE = 2_000;

  private final java.util.concurrent.ExecutorService starter = starterPool();

  /**
   * Stops the starts still queued when the service shuts down: their leads stay pending, and the
   * sweep of a running replica ({@link StrandedTriggeredLeads}) has their campaigns' runs start
   * them.
   */
  @jakarta.annotation.PreDestroy
  void stopStarting() {
    starter.shutdownNow();
  }

  private static java.util.concurrent.ExecutorService starterPool() {
    java.util.concurrent.atomic.AtomicInteger threads =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ThreadPoolExecutor pool =
        new java.util.concurrent.ThreadPoolExecutor(
            STARTERS,
            STARTERS,
            1,
            java.util.concurrent.TimeUnit.MINUTES,
            new java.util.concurrent.ArrayBlockingQueue<>(START_QUEUE),
            task -> {
              Thread thread = new Thread(task, "trigger-start-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            },
            new java.util.concurrent.ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private final java.util.concurrent.ConcurrentHashMap<String, Setup> cache =
      new java.util.concurrent.ConcurrentHashMap<>();

  EventIngest(
      TransactionTemplate transaction,
      ContactEvents events,
      EventContacts eventContacts,
      Contacts contacts,
      CampaignTriggers triggers,
      TriggerEnrolments enrolments,
      CampaignRepository campaigns,
      Suppressions suppressions,
      LeadWriter writer,
      LeadSteps leadSteps,
      LeadTimeline timeline,
      LeadSequenceStarts sequenceStarts,
      WorkflowClient workflows,
      dev.sequencer.api.signal.WorkflowSignals signals,
      Clock clock,
      JsonMapper json) {
    this.signals = signals;
    this.json = json;
    this.transaction = transaction;
    this.events = events;
    this.eventContacts = eventContacts;
    this.contacts = contacts;
    this.triggers = triggers;
    this.enrolments = enrolments;
    this.campaigns = campaigns;
    this.suppressions = suppressions;
    this.writer = writer;
    this.leadSteps = leadSteps;
    this.timeline = timeline;
    this.sequenceStarts = sequenceStarts;
    this.workflows = workflows;
    this.clock = clock;
  }

  /** What one transaction decided, and what is left to do after its commit. */
  private record Decided(
      String storedAnswer, Answer answer, List<NewLead> starts, List<Known> known) {}

  public String ingest(String organizationId, EventRequest event) {
    Instant now = clock.instant();
    Decided decided = transaction.execute(tx -> decide(organizationId, event, now));
    if (decided.storedAnswer() != null) {
      return decided.storedAnswer();
    }
    if (!decided.starts().isEmpty() || !decided.known().isEmpty()) {
      // The enrolment is committed and visible; its sequence starts beside the answer.
      try {
        starter.execute(
            () -> {
              for (NewLead start : decided.starts()) {
                start(start, event.type());
              }
              for (Known known : decided.known()) {
                tell(known.workflowId(), event.type());
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException behind) {
        // The starts fall behind the events: rather than hold the answer, the leads stay pending
        // and their campaigns' runs start them, a page at a time, from their own starts. The
        // sequences already running have the event on their timelines.
        decided.starts().stream()
            .map(start -> start.campaign().id())
            .distinct()
            .forEach(this::handOverToRun);
      }
    }
    return json.writeValueAsString(decided.answer());
  }

  private Decided decide(String organizationId, EventRequest event, Instant now) {
    Instant eventTime = event.occurredAt() == null ? now : event.occurredAt();
    Optional<Long> eventPk =
        events.insert(
            organizationId, event.eventId(), event.type(), event.properties(), eventTime, now);
    if (eventPk.isEmpty()) {
      String stored = events.answerOf(organizationId, event.eventId()).orElse("{\"enrolled\":[]}");
      return new Decided(stored, null, List.of(), List.of());
    }
    long contactPk = contactOf(organizationId, event, now);
    Contact contact = contacts.byPk(contactPk).orElseThrow();
    // A sequence starts at the event, or now for one that happened before now.
    Instant base = eventTime.isBefore(now) ? now : eventTime;
    List<Enrolled> enrolled = new ArrayList<>();
    List<NewLead> starts = new ArrayList<>();
    List<Known> known = new ArrayList<>();
    for (CampaignTriggers.Running stored : triggers.running(organizationId, event.type())) {
      Trigger trigger = stored.trigger();
      if (!ConditionCheck.all(trigger.conditions(), contact, event.properties())) {
        continue;
      }
      Setup setup = setupOf(stored);
      // Under the share lock a pause or cancel takes exclusively: a lead enrolled here is enrolled
      // before the campaign's change or not at all.
      if (setup == null
          || campaigns.lockStatusShared(setup.campaign().id()).orElse(null)
              != CampaignStatus.RUNNING) {
        continue;
      }
      Campaign campaign = setup.campaign();
      String address = campaign.channel() == Channel.EMAIL ? contact.email() : contact.phone();
      if (address == null
          || suppressions.isSuppressed(organizationId, campaign.channel().name(), address)) {
        continue;
      }
      Optional<TriggerEnrolments.OpenLead> open = enrolments.openLead(campaign.id(), contactPk);
      if (open.isPresent()) {
        timeline.record(
            organizationId,
            campaign.id(),
            open.get().pk(),
            null,
            null,
            "trigger_event",
            "event " + event.type() + " (" + event.eventId() + "); already in the sequence",
            now);
        if (open.get().workflowId() != null) {
          known.add(new Known(open.get().workflowId()));
        }
        continue;
      }
      Trigger.Frequency frequency = trigger.frequency();
      TriggerEnrolments.Counts counts =
          enrolments.counts(
              campaign.id(),
              contactPk,
              frequency == null
                  ? eventTime
                  : eventTime.minus(Duration.ofHours(frequency.windowHours())));
      if (frequency != null && counts.since() >= frequency.limit()) {
        continue;
      }
      int n = counts.all() + 1;
      String leadId = n == 1 ? contact.contactId() : contact.contactId() + "." + n;
      String zone = zoneOf(contact, campaign);
      Instant startAt = base.plus(Duration.ofMinutes(trigger.delayMinutes()));
      if (trigger.quietHours() != null) {
        startAt = trigger.quietHours().firstAllowed(startAt, ZoneId.of(zone));
      }
      Lead lead = leadOf(campaign, contact, leadId, zone, now);
      Optional<Long> leadPk = enrolments.insertLead(lead, contactPk);
      if (leadPk.isEmpty()) {
        // The campaign has a lead of this id already (imported by hand): not enrolled again.
        continue;
      }
      lead = lead.withId(leadPk.get());
      enrolments.record(campaign.id(), contactPk, lead.id(), eventPk.get(), eventTime, startAt);
      enrolled.add(new Enrolled(campaign.id(), leadId, startAt));
      String variant = LeadSequenceStarts.variantOf(campaign, leadId, setup.allocations());
      if (VariantAssignment.HOLDOUT.equals(variant)) {
        writer.enrol(
            List.of(
                new Enrolment(
                    lead.id(),
                    LeadStatus.HOLDOUT,
                    null,
                    null,
                    "holdout",
                    "kept out of all messages to measure lift")),
            now);
        continue;
      }
      String workflowId = LeadSequenceWorkflow.workflowId(campaign.id(), leadId);
      Enrolment enrolment =
          new Enrolment(lead.id(), LeadStatus.ACTIVE, variant, workflowId, "enrolled", "");
      writer.assignVariants(List.of(enrolment));
      if (setup.onlySender() != null) {
        writer.assignSenders(Map.of(lead.id(), setup.onlySender()));
      } else if (setup.pooled()) {
        writer.assignSenders(sequenceStarts.senders(campaign, List.of(lead.id())));
      }
      SequencePlan plan =
          LeadSequenceStarts.plan(campaign, variant, lead, startAt, setup.slotted());
      if (plan != null) {
        leadSteps.planAll(Map.of(lead.id(), PlanningActivitiesImpl.stored(plan.steps())));
      }
      starts.add(
          new NewLead(
              campaign, lead, variant, sequenceStarts.input(campaign, lead, startAt, plan)));
    }
    Answer answer = new Answer(enrolled);
    events.complete(eventPk.get(), contactPk, json.writeValueAsString(answer));
    return new Decided(null, answer, starts, known);
  }

  /**
   * What enrolling into a campaign needs besides the lead, for {@link #SETUP_TTL}: the campaign as
   * stored (while its row's version is the same), its variants' shares, whether its sends take
   * slots, and its sender when its pool has one. Loading these for every event would be most of an
   * event's work; an A/B winner or a sender's new limit reaches triggered enrolments within the
   * TTL.
   *
   * @param onlySender the pool's one sender; null when the pool has none or several
   */
  private record Setup(
      long version,
      long loadedAt,
      Campaign campaign,
      List<VariantAssignment.Allocation> allocations,
      boolean slotted,
      boolean pooled,
      String onlySender) {}

  private static final long SETUP_TTL = Duration.ofSeconds(5).toNanos();

  private Setup setupOf(CampaignTriggers.Running running) {
    Setup cached = cache.get(running.campaignId());
    long now = System.nanoTime();
    if (cached != null
        && cached.version() == running.campaignVersion()
        && now - cached.loadedAt() < SETUP_TTL) {
      return cached;
    }
    Campaign campaign = campaigns.findById(running.campaignId()).orElse(null);
    if (campaign == null) {
      return null;
    }
    var pool = sequenceStarts.pool(campaign);
    Setup setup =
        new Setup(
            running.campaignVersion(),
            now,
            campaign,
            sequenceStarts.allocations(campaign),
            sequenceStarts.isSlotted(campaign),
            !pool.isEmpty(),
            pool.size() == 1 ? pool.get(0).id() : null);
    if (cache.size() > MAX_CACHED) {
      cache.clear();
    }
    cache.put(campaign.id(), setup);
    return setup;
  }

  private long contactOf(String organizationId, EventRequest event, Instant now) {
    if (event.contactId() != null) {
      return eventContacts.lockOrCreateById(
          organizationId, event.contactId(), event.email(), event.phone(), now);
    }
    return event.email() != null
        ? eventContacts.lockOrCreateByAddress(
            organizationId, "email", event.email(), Ids.next("ctc"), now)
        : eventContacts.lockOrCreateByAddress(
            organizationId, "phone", event.phone(), Ids.next("ctc"), now);
  }

  /** The contact's zone, else its number's where unambiguous, else the campaign's. */
  private static String zoneOf(Contact contact, Campaign campaign) {
    if (contact.timezone() != null) {
      return contact.timezone();
    }
    return Optional.ofNullable(contact.phone())
        .flatMap(PhoneNumbers::zoneOf)
        .map(ZoneId::getId)
        .orElse(campaign.schedule().timezone());
  }

  private Lead leadOf(Campaign campaign, Contact contact, String leadId, String zone, Instant now) {
    return new Lead(
        null,
        campaign.organizationId(),
        campaign.id(),
        leadId,
        contact.email(),
        contact.phone(),
        contact.firstName(),
        contact.lastName(),
        contact.company(),
        contact.title(),
        zone,
        json.writeValueAsString(contact.attributes()),
        LeadStatus.PENDING,
        null,
        null,
        now,
        now,
        null);
  }

  /**
   * Starts the lead's sequence with the event as its first signal, then marks it active as its
   * campaign is. If Temporal does not take the start, the lead stays pending and the campaign's run
   * is told that leads wait: its enrolment starts it from the lead's own start.
   */
  private void start(NewLead start, String type) {
    String workflowId = workflowIdOf(start);
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
            request.add(stub::triggerEvent, type);
            try {
              workflows.signalWithStart(request);
            } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
              // Started (and ended) before: a repeat of this start.
            }
          });
    } catch (RuntimeException e) {
      log.warn(
          "lead {} of campaign {} stays pending: starting its sequence failed ({}); the campaign's"
              + " run enrols it",
          start.lead().leadId(),
          start.campaign().id(),
          e.toString());
      notifyRun(start.campaign());
      return;
    }
    transaction.execute(
        tx -> {
          CampaignStatus now =
              campaigns.lockStatusShared(start.campaign().id()).orElse(CampaignStatus.RUNNING);
          return writer.enrol(
              List.of(
                  LeadSequenceStarts.asCampaignIs(
                      new Enrolment(
                          start.lead().id(),
                          LeadStatus.ACTIVE,
                          start.variant(),
                          workflowId,
                          "enrolled",
                          "by a trigger event; variant "
                              + start.variant()
                              + ", workflow "
                              + workflowId),
                      now)),
              clock.instant());
        });
  }

  private static String workflowIdOf(NewLead start) {
    return LeadSequenceWorkflow.workflowId(start.campaign().id(), start.lead().leadId());
  }

  /** When each campaign's run was last told that events left leads for it, in nanoseconds. */
  private final java.util.concurrent.ConcurrentHashMap<String, Long> handedOver =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Tells the campaign's run, through the signal outbox, that leads wait; at most once a second per
   * campaign, since one enrolment round takes every pending lead.
   */
  private void handOverToRun(String campaignId) {
    long now = System.nanoTime();
    Long last = handedOver.get(campaignId);
    if (last != null && now - last < Duration.ofSeconds(1).toNanos()) {
      return;
    }
    handedOver.put(campaignId, now);
    signals.campaign(CampaignRunWorkflow.workflowId(campaignId), CampaignRunWorkflow::leadsAdded);
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

  /** Tells a running sequence of the contact about the event; a sequence that ended ignores it. */
  private void tell(String workflowId, String type) {
    try {
      TemporalCalls.run(
          () ->
              workflows.newWorkflowStub(LeadSequenceWorkflow.class, workflowId).triggerEvent(type));
    } catch (WorkflowNotFoundException ended) {
      // Ended meanwhile: its timeline has the event.
    } catch (RuntimeException e) {
      log.warn("the event could not be passed on to {}: {}", workflowId, e.toString());
    }
  }
}
