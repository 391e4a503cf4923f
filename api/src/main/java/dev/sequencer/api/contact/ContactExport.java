package dev.sequencer.api.contact;

import dev.sequencer.api.lead.LeadResponse;
import dev.sequencer.store.contact.ContactRecords;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the service holds about one contact: the contact, the leads that are it with their
 * steps, messages and timelines, its events, the mail that came from it, and the suppression
 * entries and their history for its addresses.
 */
record ContactExport(
    Instant exportedAt,
    ContactDetail contact,
    List<Lead> leads,
    List<ContactRecords.Event> events,
    List<ContactRecords.Inbound> inbound,
    List<ContactRecords.Suppression> suppressions,
    List<ContactRecords.AuditEntry> suppressionAudit) {

  record Lead(
      String campaignId,
      String leadId,
      String status,
      String variant,
      String email,
      String phone,
      String firstName,
      String lastName,
      String company,
      String title,
      String timezone,
      Map<String, Object> attributes,
      Instant createdAt,
      List<LeadResponse.Step> steps,
      List<LeadResponse.MessageView> messages,
      List<LeadResponse.TimelineEntry> timeline) {}
}
