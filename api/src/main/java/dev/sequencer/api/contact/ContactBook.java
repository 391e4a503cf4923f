package dev.sequencer.api.contact;

import dev.sequencer.api.control.OptOuts;
import dev.sequencer.api.error.NotFoundException;
import dev.sequencer.api.lead.LeadResponse;
import dev.sequencer.store.contact.Contact;
import dev.sequencer.store.contact.ContactRecords;
import dev.sequencer.store.contact.Contacts;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadRepository;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.store.message.Messages;
import dev.sequencer.store.suppression.Suppressions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reads of the contact book: one contact with its leads and suppressions, and its export. */
@Service
class ContactBook {

  private static final TypeReference<Map<String, Object>> ATTRIBUTES = new TypeReference<>() {};

  private final Contacts contacts;
  private final ContactRecords records;
  private final LeadRepository leads;
  private final LeadSteps steps;
  private final LeadTimeline timeline;
  private final Messages messages;
  private final Suppressions suppressions;
  private final JsonMapper json;
  private final Clock clock;

  ContactBook(
      Contacts contacts,
      ContactRecords records,
      LeadRepository leads,
      LeadSteps steps,
      LeadTimeline timeline,
      Messages messages,
      Suppressions suppressions,
      JsonMapper json,
      Clock clock) {
    this.contacts = contacts;
    this.records = records;
    this.leads = leads;
    this.steps = steps;
    this.timeline = timeline;
    this.messages = messages;
    this.suppressions = suppressions;
    this.json = json;
    this.clock = clock;
  }

  /** The organization's contact; another organization's is as unknown as a missing one. */
  Contact find(String organizationId, String contactId) {
    return contacts
        .byContactId(organizationId, contactId)
        .orElseThrow(() -> new NotFoundException("contact " + contactId + " does not exist"));
  }

  @Transactional(readOnly = true)
  ContactDetail detail(String organizationId, String contactId) {
    Contact contact = find(organizationId, contactId);
    return detailOf(contact, leadsOf(contact));
  }

  @Transactional(readOnly = true)
  ContactExport export(String organizationId, String contactId) {
    Contact contact = find(organizationId, contactId);
    List<Lead> linked = leadsOf(contact);
    Set<String> addresses = new LinkedHashSet<>();
    if (contact.email() != null) {
      addresses.add(contact.email());
    }
    if (contact.phone() != null) {
      addresses.add(contact.phone());
    }
    for (Lead lead : linked) {
      if (lead.email() != null) {
        addresses.add(lead.email());
      }
      if (lead.phone() != null) {
        addresses.add(lead.phone());
      }
    }
    return new ContactExport(
        clock.instant(),
        detailOf(contact, linked),
        linked.stream().map(this::exported).toList(),
        records.events(contact.pk()),
        records.inbound(organizationId, addresses),
        records.suppressions(organizationId, addresses),
        records.suppressionAudit(organizationId, addresses));
  }

  private List<Lead> leadsOf(Contact contact) {
    List<Lead> found = new ArrayList<>(leads.findAllById(records.leadKeys(contact)));
    found.sort((a, b) -> Long.compare(a.id(), b.id()));
    return found;
  }

  private ContactDetail detailOf(Contact contact, List<Lead> linked) {
    String org = contact.organizationId();
    ContactDetail.Suppressed suppressed =
        new ContactDetail.Suppressed(
            contact.email() != null
                && suppressions.isSuppressed(org, OptOuts.EMAIL, contact.email()),
            contact.phone() != null && suppressions.isSuppressed(org, OptOuts.SMS, contact.phone()),
            contact.whatsapp() != null
                && suppressions.isSuppressed(org, OptOuts.WHATSAPP, contact.whatsapp()));
    return ContactDetail.of(
        contact,
        suppressed,
        linked.stream()
            .map(
                l ->
                    new ContactDetail.LinkedLead(l.campaignId(), l.leadId(), l.status().wireName()))
            .toList());
  }

  private ContactExport.Lead exported(Lead lead) {
    List<dev.sequencer.store.message.Message> sent = messages.ofLead(lead.id());
    return new ContactExport.Lead(
        lead.campaignId(),
        lead.leadId(),
        lead.status().wireName(),
        lead.variant(),
        lead.email(),
        lead.phone(),
        lead.firstName(),
        lead.lastName(),
        lead.company(),
        lead.title(),
        lead.timezone(),
        json.readValue(lead.attributes(), ATTRIBUTES),
        lead.createdAt(),
        steps.of(lead.id()).stream()
            .map(
                s ->
                    LeadResponse.Step.of(
                        s,
                        sent.stream()
                            .filter(m -> m.id().equals(s.messageId()))
                            .map(m -> m.channel().toLowerCase(java.util.Locale.ROOT))
                            .findFirst()
                            .orElse(null)))
            .toList(),
        sent.stream().map(LeadResponse.MessageView::of).toList(),
        timeline.of(lead.id()).stream().map(LeadResponse.TimelineEntry::of).toList());
  }
}
