package dev.sequencer.api.trigger;

import dev.sequencer.activities.enrolment.LeadSequenceStarts;
import dev.sequencer.activities.planning.PlanningActivitiesImpl;
import dev.sequencer.content.PhoneNumbers;
import dev.sequencer.store.Ids;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignStatus;
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
import dev.sequencer.store.trigger.TriggerEnrolments.LeadKey;
import dev.sequencer.store.trigger.TriggerEnrolments.OpenLead;
import dev.sequencer.store.trigger.TriggerEnrolments.Pair;
import dev.sequencer.workflows.campaign.VariantAssignment;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import dev.sequencer.workflows.lead.SequencePlan;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides a batch of events inside one transaction, with a handful of statements for the whole
 * batch: records the events whose ids are new, finds or creates and locks their contacts, and
 * enrols each contact into every running triggered campaign whose trigger it meets. The events are
 * decided in their order, each seeing what the ones before it in the batch did: a second event for
 * a contact enrolled a moment before is recorded on its lead, and counts against the frequency
 * limit.
 */
@Component
class EventBatch {

  /** An event as the API took it. */
  record Submitted(String organizationId, EventRequest event, Instant receivedAt) {

    ContactEvents.Key key() {
      return new ContactEvents.Key(organizationId, event.eventId());
    }
  }

  /** The answer to an event, kept with it so that its repeat answers the same. */
  record Answer(List<Enrolled> enrolled) {}

  record Enrolled(String campaignId, String leadId, Instant startAt) {}

  /**
   * What the batch decided.
   *
   * @param answers the answer to each event of the batch, as JSON text, in its order
   * @param starts the sequences to start once the batch is committed
   * @param told running sequences to pass an event on to: workflow id and event type
   */
  record Decided(
      List<String> answers,
      List<SequenceStarter.Start> starts,
      List<Map.Entry<String, String>> told) {}

  /**
   * Thrown when a lead the batch planned could not be inserted (its campaign got a lead of the same
   * id meanwhile): the events after it in the batch may have counted on it, so the batch is decided
   * again one event at a time.
   */
  static final class DecideAlone extends RuntimeException {
    DecideAlone() {
      super(
          "a planned lead's id was taken; the batch is decided event by event", null, false, false);
    }
  }

  private static final String NO_ENROLMENT = "{\"enrolled\":[]}";

  private final ContactEvents events;
  private final EventContacts eventContacts;
  private final Contacts contacts;
  private final CampaignTriggers triggers;
  private final TriggerSetups setups;
  private final TriggerEnrolments enrolments;
  private final CampaignRepository campaigns;
  private final Suppressions suppressions;
  private final LeadWriter writer;
  private final LeadSteps leadSteps;
  private final LeadTimeline timeline;
  private final LeadSequenceStarts sequenceStarts;

  /** The API's own mapper: the stored answer is written as the API answers (snake_case). */
  private final JsonMapper json;

  EventBatch(
      ContactEvents events,
      EventContacts eventContacts,
      Contacts contacts,
      CampaignTriggers triggers,
      TriggerSetups setups,
      TriggerEnrolments enrolments,
      CampaignRepository campaigns,
      Suppressions suppressions,
      LeadWriter writer,
      LeadSteps leadSteps,
      LeadTimeline timeline,
      LeadSequenceStarts sequenceStarts,
      JsonMapper json) {
    this.events = events;
    this.eventContacts = eventContacts;
    this.contacts = contacts;
    this.triggers = triggers;
    this.setups = setups;
    this.enrolments = enrolments;
    this.campaigns = campaigns;
    this.suppressions = suppressions;
    this.writer = writer;
    this.leadSteps = leadSteps;
    this.timeline = timeline;
    this.sequenceStarts = sequenceStarts;
    this.json = json;
  }

  /** A lead the batch enrols, before and after its insert. */
  private static final class Planned {
    final int event;
    final TriggerSetups.Setup setup;
    final Pair pair;
    final long eventPk;
    final Instant eventTime;
    final Instant startAt;
    final String variant;
    final List<String> eventTypes = new ArrayList<>();
    Lead lead;

    Planned(
        int event,
        TriggerSetups.Setup setup,
        Pair pair,
        long eventPk,
        Instant eventTime,
        Instant startAt,
        String variant,
        Lead lead,
        String eventType) {
      this.event = event;
      this.setup = setup;
      this.pair = pair;
      this.eventPk = eventPk;
      this.eventTime = eventTime;
      this.startAt = startAt;
      this.variant = variant;
      this.lead = lead;
      eventTypes.add(eventType);
    }

    boolean holdout() {
      return VariantAssignment.HOLDOUT.equals(variant);
    }
  }

  /** A contact's open lead in a campaign: one stored, or one this batch enrols. */
  private record Open(OpenLead stored, Planned planned) {}

  /** An entry for the timeline of a lead, stored or planned. */
  private record Note(String organizationId, String campaignId, Open lead, String detail) {}

  /** An event whose id is new, with its contact. */
  private record Fresh(int index, Submitted submitted, long eventPk, Contact contact) {}

  /** Must run inside a transaction. */
  Decided decide(List<Submitted> batch, Instant now) {
    String[] answers = new String[batch.size()];
    Map<ContactEvents.Key, Integer> firstOf = new LinkedHashMap<>();
    List<ContactEvents.NewEvent> distinct = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Submitted submitted = batch.get(i);
      if (firstOf.putIfAbsent(submitted.key(), i) == null) {
        EventRequest event = submitted.event();
        distinct.add(
            new ContactEvents.NewEvent(
                submitted.key(),
                event.type(),
                event.properties(),
                eventTime(submitted),
                submitted.receivedAt()));
      }
    }
    Map<ContactEvents.Key, Long> inserted = events.insertAll(distinct);
    List<ContactEvents.Key> repeated =
        firstOf.keySet().stream().filter(key -> !inserted.containsKey(key)).toList();
    Map<ContactEvents.Key, String> stored = events.answersOf(repeated);
    for (ContactEvents.Key key : repeated) {
      answers[firstOf.get(key)] = stored.getOrDefault(key, NO_ENROLMENT);
    }

    List<Fresh> fresh = freshWithContacts(batch, firstOf, inserted, now);
    List<Planned> planned = new ArrayList<>();
    List<Note> notes = new ArrayList<>();
    List<Map.Entry<String, String>> told = new ArrayList<>();
    enrolInOrder(fresh, now, planned, notes, told);
    insertLeads(planned, batch.size() == 1);

    Map<Integer, List<Enrolled>> enrolledBy = new HashMap<>();
    for (Planned lead : planned) {
      if (lead.lead.id() != null) {
        enrolledBy
            .computeIfAbsent(lead.event, e -> new ArrayList<>())
            .add(new Enrolled(lead.pair.campaignId(), lead.lead.leadId(), lead.startAt));
      }
    }
    List<ContactEvents.Completion> completions = new ArrayList<>();
    for (Fresh event : fresh) {
      String answer =
          json.writeValueAsString(new Answer(enrolledBy.getOrDefault(event.index(), List.of())));
      answers[event.index()] = answer;
      completions.add(new ContactEvents.Completion(event.eventPk(), event.contact().pk(), answer));
    }
    events.completeAll(completions);
    timeline.recordAll(
        notes.stream()
            .filter(note -> pkOf(note.lead()) != null)
            .map(
                note ->
                    new LeadTimeline.Entry(
                        note.organizationId(),
                        note.campaignId(),
                        pkOf(note.lead()),
                        "trigger_event",
                        note.detail(),
                        now))
            .toList());
    List<SequenceStarter.Start> starts = storeEnrolments(planned, now);
    for (int i = 0; i < batch.size(); i++) {
      if (answers[i] == null) {
        // A repeat of an event earlier in the same batch answers as it does.
        answers[i] = answers[firstOf.get(batch.get(i).key())];
      }
    }
    return new Decided(List.of(answers), starts, told);
  }

  private static Instant eventTime(Submitted submitted) {
    Instant occurred = submitted.event().occurredAt();
    return occurred == null ? submitted.receivedAt() : occurred;
  }

  /** The events whose ids are new, each with its contact, found or created, and locked. */
  private List<Fresh> freshWithContacts(
      List<Submitted> batch,
      Map<ContactEvents.Key, Integer> firstOf,
      Map<ContactEvents.Key, Long> inserted,
      Instant now) {
    Map<List<String>, EventContacts.Named> named = new LinkedHashMap<>();
    Map<Integer, Long> byAddress = new HashMap<>();
    for (Map.Entry<ContactEvents.Key, Integer> first : firstOf.entrySet()) {
      if (!inserted.containsKey(first.getKey())) {
        continue;
      }
      Submitted submitted = batch.get(first.getValue());
      EventRequest event = submitted.event();
      String organization = submitted.organizationId();
      if (event.contactId() != null) {
        named.putIfAbsent(
            List.of(organization, event.contactId()),
            new EventContacts.Named(organization, event.contactId(), event.email(), event.phone()));
      } else {
        byAddress.put(
            first.getValue(),
            event.email() != null
                ? eventContacts.lockOrCreateByAddress(
                    organization, "email", event.email(), Ids.next("ctc"), now)
                : eventContacts.lockOrCreateByAddress(
                    organization, "phone", event.phone(), Ids.next("ctc"), now));
      }
    }
    eventContacts.createMissing(List.copyOf(named.values()), now);
    Map<List<String>, Contact> byId = new HashMap<>();
    for (Contact contact :
        contacts.lockByContactIds(
            named.values().stream().map(EventContacts.Named::organizationId).toList(),
            named.values().stream().map(EventContacts.Named::contactId).toList())) {
      byId.put(List.of(contact.organizationId(), contact.contactId()), contact);
    }
    Map<Long, Contact> byPk = new HashMap<>();
    for (Contact contact : contacts.lockByPks(new HashSet<>(byAddress.values()))) {
      byPk.put(contact.pk(), contact);
    }
    List<Fresh> fresh = new ArrayList<>();
    for (Map.Entry<ContactEvents.Key, Integer> first : firstOf.entrySet()) {
      Long eventPk = inserted.get(first.getKey());
      if (eventPk == null) {
        continue;
      }
      int index = first.getValue();
      Submitted submitted = batch.get(index);
      Contact contact =
          submitted.event().contactId() != null
              ? byId.get(List.of(submitted.organizationId(), submitted.event().contactId()))
              : byPk.get(byAddress.get(index));
      fresh.add(new Fresh(index, submitted, eventPk, contact));
    }
    return fresh;
  }

  /** Decides each fresh event in order, against what the events before it decided. */
  private void enrolInOrder(
      List<Fresh> fresh,
      Instant now,
      List<Planned> planned,
      List<Note> notes,
      List<Map.Entry<String, String>> told) {
    // Every campaign an event of the batch may enrol into, with the contact it would enrol.
    Map<List<String>, List<CampaignTriggers.Running>> running = new HashMap<>();
    Map<Fresh, List<CampaignTriggers.Running>> matches = new LinkedHashMap<>();
    for (Fresh event : fresh) {
      List<CampaignTriggers.Running> matching = new ArrayList<>();
      for (CampaignTriggers.Running stored :
          running.computeIfAbsent(
              List.of(event.submitted().organizationId(), event.submitted().event().type()),
              key -> triggers.running(key.get(0), key.get(1)))) {
        if (ConditionCheck.all(
            stored.trigger().conditions(),
            event.contact(),
            event.submitted().event().properties())) {
          matching.add(stored);
        }
      }
      matches.put(event, matching);
    }
    Map<String, TriggerSetups.Setup> setupOf = new HashMap<>();
    Set<Pair> pairs = new HashSet<>();
    Map<List<String>, Set<String>> addresses = new HashMap<>();
    matches.forEach(
        (event, matching) -> {
          for (CampaignTriggers.Running stored : matching) {
            TriggerSetups.Setup setup =
                setupOf.computeIfAbsent(stored.campaignId(), id -> setups.of(stored));
            if (setup == null) {
              continue;
            }
            pairs.add(new Pair(stored.campaignId(), event.contact().pk()));
            String address = addressOf(event.contact(), setup.campaign());
            if (address != null) {
              addresses
                  .computeIfAbsent(
                      List.of(
                          event.submitted().organizationId(), setup.campaign().channel().name()),
                      key -> new HashSet<>())
                  .add(address);
            }
          }
        });
    // Under the share lock a pause or cancel takes exclusively: a lead enrolled here is enrolled
    // before the campaign's change or not at all.
    Map<String, CampaignStatus> statuses = new HashMap<>();
    for (String campaignId : new java.util.TreeSet<>(setupOf.keySet())) {
      if (setupOf.get(campaignId) != null) {
        statuses.put(campaignId, campaigns.lockStatusShared(campaignId).orElse(null));
      }
    }
    Map<List<String>, Set<String>> suppressed = new HashMap<>();
    addresses.forEach(
        (key, among) ->
            suppressed.put(key, suppressions.suppressedAmong(key.get(0), key.get(1), among)));
    Map<Pair, Open> open = new HashMap<>();
    enrolments.openLeads(pairs).forEach((pair, lead) -> open.put(pair, new Open(lead, null)));
    Map<Pair, List<Instant>> times = new HashMap<>(enrolments.enrolmentTimes(pairs));

    matches.forEach(
        (event, matching) -> {
          Submitted submitted = event.submitted();
          EventRequest request = submitted.event();
          Contact contact = event.contact();
          Instant eventTime = eventTime(submitted);
          // A sequence starts at the event, or now for one that happened before now.
          Instant base = eventTime.isBefore(now) ? now : eventTime;
          for (CampaignTriggers.Running stored : matching) {
            TriggerSetups.Setup setup = setupOf.get(stored.campaignId());
            if (setup == null || statuses.get(stored.campaignId()) != CampaignStatus.RUNNING) {
              continue;
            }
            Campaign campaign = setup.campaign();
            String address = addressOf(contact, campaign);
            if (!campaign.reaches(contact.email(), contact.phone(), contact.whatsapp())
                || address != null
                    && suppressed
                        .getOrDefault(
                            List.of(submitted.organizationId(), campaign.channel().name()),
                            Set.of())
                        .contains(address)) {
              continue;
            }
            Pair pair = new Pair(campaign.id(), contact.pk());
            Open already = open.get(pair);
            if (already != null) {
              notes.add(
                  new Note(
                      submitted.organizationId(),
                      campaign.id(),
                      already,
                      "event "
                          + request.type()
                          + " ("
                          + request.eventId()
                          + "); already in the sequence"));
              if (already.planned() != null) {
                already.planned().eventTypes.add(request.type());
              } else {
                // A lead whose start is still queued has no workflow id yet, but will have this.
                told.add(
                    Map.entry(
                        Optional.ofNullable(already.stored().workflowId())
                            .orElse(
                                LeadSequenceWorkflow.workflowId(
                                    campaign.id(), already.stored().leadId())),
                        request.type()));
              }
              continue;
            }
            Trigger trigger = stored.trigger();
            List<Instant> before = times.computeIfAbsent(pair, p -> new ArrayList<>());
            Trigger.Frequency frequency = trigger.frequency();
            if (frequency != null) {
              Instant since = eventTime.minus(Duration.ofHours(frequency.windowHours()));
              if (before.stream().filter(at -> at.isAfter(since)).count() >= frequency.limit()) {
                continue;
              }
            }
            int n = before.size() + 1;
            String leadId = n == 1 ? contact.contactId() : contact.contactId() + "." + n;
            String zone = zoneOf(contact, campaign);
            Instant startAt = base.plus(Duration.ofMinutes(trigger.delayMinutes()));
            if (trigger.quietHours() != null) {
              startAt = trigger.quietHours().firstAllowed(startAt, ZoneId.of(zone));
            }
            String variant = LeadSequenceStarts.variantOf(campaign, leadId, setup.allocations());
            boolean holdout = VariantAssignment.HOLDOUT.equals(variant);
            Planned lead =
                new Planned(
                    event.index(),
                    setup,
                    pair,
                    event.eventPk(),
                    eventTime,
                    startAt,
                    variant,
                    leadOf(
                        campaign,
                        contact,
                        leadId,
                        zone,
                        holdout ? null : variant,
                        holdout ? null : setup.onlySender(),
                        now),
                    request.type());
            planned.add(lead);
            before.add(eventTime);
            if (!lead.holdout()) {
              open.put(pair, new Open(null, lead));
            }
          }
        });
  }

  /**
   * Inserts the planned leads. One whose id its campaign has already is not enrolled: alone, the
   * event simply does not enrol it; in a batch, the events after it may have counted on it.
   */
  private void insertLeads(List<Planned> planned, boolean alone) {
    Map<LeadKey, Long> keys =
        enrolments.insertLeads(
            planned.stream().map(p -> p.lead).toList(),
            planned.stream().map(p -> p.pair.contactPk()).toList());
    for (Planned lead : planned) {
      Long pk = keys.get(new LeadKey(lead.pair.campaignId(), lead.lead.leadId()));
      if (pk == null && !alone) {
        throw new DecideAlone();
      }
      if (pk != null) {
        lead.lead = lead.lead.withId(pk);
      }
    }
  }

  /** Records the enrolments, variants, senders and plans of the inserted leads. */
  private List<SequenceStarter.Start> storeEnrolments(List<Planned> planned, Instant now) {
    List<Planned> leads = planned.stream().filter(p -> p.lead.id() != null).toList();
    enrolments.recordAll(
        leads.stream()
            .map(
                p ->
                    new TriggerEnrolments.NewEnrolment(
                        p.pair, p.lead.id(), p.eventPk, p.eventTime, p.startAt))
            .toList());
    writer.enrol(
        leads.stream()
            .filter(Planned::holdout)
            .map(
                p ->
                    new Enrolment(
                        p.lead.id(),
                        LeadStatus.HOLDOUT,
                        null,
                        null,
                        "holdout",
                        "kept out of all messages to measure lift"))
            .toList(),
        now);
    List<Planned> active = leads.stream().filter(p -> !p.holdout()).toList();
    Map<Long, String> senders = new HashMap<>();
    Map<String, List<Planned>> pooled = new LinkedHashMap<>();
    for (Planned p : active) {
      if (p.setup.pooled() && p.setup.onlySender() == null) {
        pooled.computeIfAbsent(p.pair.campaignId(), id -> new ArrayList<>()).add(p);
      }
    }
    pooled.forEach(
        (campaignId, inCampaign) ->
            senders.putAll(
                sequenceStarts.senders(
                    inCampaign.get(0).setup.campaign(),
                    inCampaign.stream().map(p -> p.lead.id()).toList())));
    if (!senders.isEmpty()) {
      writer.assignSenders(senders);
    }
    Map<Long, List<dev.sequencer.store.lead.LeadStep>> plans = new HashMap<>();
    List<SequenceStarter.Start> starts = new ArrayList<>();
    for (Planned p : active) {
      Campaign campaign = p.setup.campaign();
      SequencePlan plan =
          LeadSequenceStarts.plan(campaign, p.variant, p.lead, p.startAt, p.setup.slotted());
      if (plan != null) {
        plans.put(p.lead.id(), PlanningActivitiesImpl.stored(plan.steps()));
      }
      starts.add(
          new SequenceStarter.Start(
              campaign,
              p.lead,
              p.variant,
              sequenceStarts.input(campaign, p.lead, p.startAt, plan),
              List.copyOf(p.eventTypes)));
    }
    if (!plans.isEmpty()) {
      leadSteps.planAll(plans);
    }
    return starts;
  }

  private static Long pkOf(Open lead) {
    return lead.stored() != null ? Long.valueOf(lead.stored().pk()) : lead.planned().lead.id();
  }

  /**
   * The contact's address a campaign on one channel suppresses it by; null for a campaign whose
   * steps mix channels (each step's route checks its own) or one without addresses.
   */
  private static String addressOf(Contact contact, Campaign campaign) {
    if (campaign.mixesChannels()) {
      return null;
    }
    return switch (campaign.channel()) {
      case EMAIL -> contact.email();
      case SMS -> contact.phone();
      default -> null;
    };
  }

  /** The contact's zone, else its number's where unambiguous, else the campaign's. */
  private static String zoneOf(Contact contact, Campaign campaign) {
    if (contact.timezone() != null) {
      return contact.timezone();
    }
    return Optional.ofNullable(contact.phone() != null ? contact.phone() : contact.whatsapp())
        .flatMap(PhoneNumbers::zoneOf)
        .map(ZoneId::getId)
        .orElse(campaign.schedule().timezone());
  }

  /** A pending lead made from the contact, with its variant and its pool's one sender, if any. */
  private Lead leadOf(
      Campaign campaign,
      Contact contact,
      String leadId,
      String zone,
      String variant,
      String sender,
      Instant now) {
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
        variant,
        null,
        now,
        now,
        sender,
        contact.whatsapp());
  }
}
