package dev.sequencer.api.contact;

import dev.sequencer.api.control.HandOversInFlight;
import dev.sequencer.api.error.NotFoundException;
import dev.sequencer.api.signal.WorkflowSignals;
import dev.sequencer.store.contact.Contact;
import dev.sequencer.store.contact.ContactErasure;
import dev.sequencer.store.contact.ContactRecords;
import dev.sequencer.store.contact.Contacts;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.workflows.lead.LeadEnding;
import dev.sequencer.workflows.lead.Stop;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Erases a contact. First its open sequences stop, as an opt-out stops them: cancelled in the store
 * under their row locks, their workflows told, and a hand-over already under way awaited, so no
 * message is written after the erasure. Then the erasure itself runs in one transaction.
 */
@Service
class ContactEraser {

  /** How long the erasure waits for the stop signals to leave the outbox before going on. */
  private static final long SIGNAL_WAIT_MILLIS = 5_000;

  private final Contacts contacts;
  private final ContactRecords records;
  private final ContactErasure erasure;
  private final LeadQueries leads;
  private final LeadTimeline timeline;
  private final WorkflowSignals signals;
  private final HandOversInFlight inFlight;
  private final TransactionTemplate transaction;
  private final Clock clock;

  ContactEraser(
      Contacts contacts,
      ContactRecords records,
      ContactErasure erasure,
      LeadQueries leads,
      LeadTimeline timeline,
      WorkflowSignals signals,
      HandOversInFlight inFlight,
      TransactionTemplate transaction,
      Clock clock) {
    this.contacts = contacts;
    this.records = records;
    this.erasure = erasure;
    this.leads = leads;
    this.timeline = timeline;
    this.signals = signals;
    this.inFlight = inFlight;
    this.transaction = transaction;
    this.clock = clock;
  }

  /**
   * @throws NotFoundException when the organization has no such contact (erased already, or never
   *     there)
   */
  void erase(String organizationId, String contactId) {
    Contact contact =
        contacts
            .byContactId(organizationId, contactId)
            .orElseThrow(() -> new NotFoundException("contact " + contactId + " does not exist"));
    List<Lead> stopped = transaction.execute(tx -> stopOpenLeads(contact));
    for (Lead lead : stopped) {
      inFlight.awaitLead(lead.campaignId(), lead.id());
    }
    awaitSignals(stopped.stream().map(Lead::workflowId).filter(Objects::nonNull).toList());
    erasure
        .erase(organizationId, contactId)
        .orElseThrow(() -> new NotFoundException("contact " + contactId + " does not exist"));
  }

  private List<Lead> stopOpenLeads(Contact contact) {
    Instant now = clock.instant();
    List<Lead> stopped = new ArrayList<>();
    for (long key : records.leadKeys(contact)) {
      Lead lead = leads.lock(key).orElse(null);
      if (lead == null || lead.status().isFinal()) {
        continue;
      }
      leads.transition(lead.id(), LeadStatus.CANCELLED);
      timeline.record(
          contact.organizationId(),
          lead.campaignId(),
          lead.id(),
          null,
          null,
          "cancelled",
          "cancelled: the contact was erased",
          now);
      signals.lead(
          lead.workflowId(), w -> w.stop(new Stop(LeadEnding.CANCELLED, "contact erased")));
      stopped.add(lead);
    }
    return stopped;
  }

  /**
   * The stop signals name the lead's old workflow id; the erasure drops any still waiting (the
   * store already says the lead is over), so it first gives them a moment to go out.
   */
  private void awaitSignals(List<String> workflowIds) {
    long deadline = System.currentTimeMillis() + SIGNAL_WAIT_MILLIS;
    while (records.pendingSignals(workflowIds) > 0 && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
