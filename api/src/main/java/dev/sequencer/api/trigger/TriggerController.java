package dev.sequencer.api.trigger;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.campaign.CampaignResponse;
import dev.sequencer.api.campaign.CampaignService;
import dev.sequencer.api.error.NotFoundException;
import dev.sequencer.store.contact.Contact;
import dev.sequencer.store.contact.Contacts;
import dev.sequencer.store.trigger.ContactEvents;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Events that enrol contacts into triggered campaigns: the activation of such a campaign, the
 * events themselves (admin keys: an event creates contacts and leads, which is managing the
 * organization's data), and a contact's events and enrolments.
 */
@RestController
class TriggerController {

  private static final int SHOWN = 100;

  private final CampaignService campaigns;
  private final EventIngest ingest;
  private final Contacts contacts;
  private final ContactEvents events;
  private final JsonMapper json;

  TriggerController(
      CampaignService campaigns,
      EventIngest ingest,
      Contacts contacts,
      ContactEvents events,
      JsonMapper json) {
    this.campaigns = campaigns;
    this.ingest = ingest;
    this.contacts = contacts;
    this.events = events;
    this.json = json;
  }

  @PostMapping("/api/v1/campaigns/{id}/activate")
  @ResponseStatus(HttpStatus.ACCEPTED)
  ResponseEntity<CampaignResponse> activate(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String id) {
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(campaigns.response(campaigns.activate(org, checkedId(id))));
  }

  @PostMapping("/api/v1/events")
  @ResponseStatus(HttpStatus.ACCEPTED)
  ResponseEntity<JsonNode> event(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @RequestBody(required = false) JsonNode body) {
    String answer = ingest.ingest(org, EventRequest.of(body));
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .contentType(MediaType.APPLICATION_JSON)
        .body(json.readTree(answer));
  }

  record ContactActivity(
      String contactId, List<EventView> events, List<EnrolmentView> enrolments) {}

  record EventView(
      String eventId,
      String type,
      Map<String, Object> properties,
      Instant occurredAt,
      Instant receivedAt) {}

  /**
   * @param status the lead's status now; null once the lead was deleted
   */
  record EnrolmentView(
      String campaignId,
      String leadId,
      String status,
      String eventId,
      Instant enrolledAt,
      Instant startAt) {}

  /** The contact's latest events and the enrolments they made, newest first (100 of each). */
  @GetMapping("/api/v1/contacts/{contactId}/enrolments")
  ContactActivity enrolments(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String contactId) {
    Contact contact =
        contacts
            .byContactId(org, contactId)
            .orElseThrow(() -> new NotFoundException("contact " + contactId + " does not exist"));
    return new ContactActivity(
        contact.contactId(),
        events.ofContact(contact.pk(), SHOWN).stream()
            .map(
                e ->
                    new EventView(
                        e.eventId(), e.type(), e.properties(), e.occurredAt(), e.receivedAt()))
            .toList(),
        events.enrolmentsOf(contact.pk(), SHOWN).stream()
            .map(
                e ->
                    new EnrolmentView(
                        e.campaignId(),
                        e.leadId(),
                        e.leadStatus() == null ? null : e.leadStatus().toLowerCase(Locale.ROOT),
                        e.eventId(),
                        e.enrolledAt(),
                        e.startAt()))
            .toList());
  }

  private static String checkedId(String id) {
    return dev.sequencer.api.campaign.Ids.checked("id", id);
  }
}
