package dev.sequencer.api.inbox;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.auth.Permission;
import dev.sequencer.api.auth.Requires;
import dev.sequencer.api.campaign.Ids;
import dev.sequencer.api.campaign.Paging;
import dev.sequencer.api.error.NotFoundException;
import dev.sequencer.store.contact.Contacts;
import dev.sequencer.store.inbox.InboxMessages;
import dev.sequencer.store.inbox.InboxMessages.InboxMessage;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.store.message.MessageStatus;
import dev.sequencer.store.message.Messages;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The in-app channel's inbox, read by the organization's app on its contact's behalf. Fetching the
 * inbox delivers every message it lists for the first time; marking one read opens it. Both show on
 * the lead's timeline and in the campaign's metrics like an email's delivery and open.
 */
@RestController
@RequestMapping("/api/v1/inbox/{contactId}")
class InboxController {

  /** The inbox as the app reads it, newest first. */
  record InboxResponse(List<Entry> messages) {}

  /**
   * @param readAt when the contact read it, or null while unread
   */
  record Entry(
      String messageId,
      String campaignId,
      String step,
      String title,
      String body,
      Instant createdAt,
      Instant readAt) {
    static Entry of(InboxMessage m) {
      return new Entry(
          m.messageId(),
          m.campaignId(),
          m.stepType(),
          m.title(),
          m.body(),
          m.createdAt(),
          m.readAt());
    }
  }

  private final InboxMessages inbox;
  private final Messages messages;
  private final LeadQueries leads;
  private final LeadTimeline timeline;
  private final TransactionTemplate transaction;
  private final Clock clock;
  private final Contacts contacts;

  InboxController(
      InboxMessages inbox,
      Messages messages,
      LeadQueries leads,
      LeadTimeline timeline,
      TransactionTemplate transaction,
      Clock clock,
      Contacts contacts) {
    this.contacts = contacts;
    this.inbox = inbox;
    this.messages = messages;
    this.leads = leads;
    this.timeline = timeline;
    this.transaction = transaction;
    this.clock = clock;
  }

  @GetMapping
  InboxResponse list(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String contactId,
      @RequestParam(defaultValue = "50") int limit) {
    String contact = Ids.checked("contact_id", contactId);
    Paging.check(limit, 0);
    Instant now = clock.instant();
    List<InboxMessage> listed =
        transaction.execute(
            tx -> {
              List<InboxMessage> fetched = inbox.fetch(org, contact, limit, now);
              for (InboxMessage m : fetched) {
                if (m.fetchedAt() == null) {
                  delivered(org, m, now);
                }
              }
              return fetched;
            });
    // An inbox exists once a message landed in it, or for a contact of the organization's.
    if (listed.isEmpty() && contacts.byContactId(org, contact).isEmpty()) {
      throw new NotFoundException("contact " + contact + " has no inbox in this organization");
    }
    return new InboxResponse(listed.stream().map(Entry::of).toList());
  }

  @PostMapping("/{messageId}/read")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Requires(Permission.CONTROL)
  void read(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String contactId,
      @PathVariable String messageId) {
    String contact = Ids.checked("contact_id", contactId);
    String id = Ids.checked("message_id", messageId);
    Instant now = clock.instant();
    transaction.executeWithoutResult(
        tx -> {
          InboxMessage m =
              inbox
                  .of(org, contact, id)
                  .orElseThrow(
                      () -> new NotFoundException("message " + id + " is not in this inbox"));
          if (m.fetchedAt() == null) {
            delivered(org, m, now);
          }
          if (inbox.markRead(m.messageId(), now)
              && !timeline.hasMessageEvent(m.messageId(), "opened")) {
            timeline.record(
                org,
                m.campaignId(),
                m.leadPk(),
                m.messageId(),
                m.stepType(),
                "opened",
                "read in the app",
                now);
          }
        });
  }

  /** The app has the message: it is delivered, as a carrier's receipt says of an SMS. */
  private void delivered(String org, InboxMessage m, Instant now) {
    if (messages.recordDeliveryOutcome(m.messageId(), MessageStatus.DELIVERED, null, null)) {
      leads.markStepOfMessage(m.messageId(), "delivered", null);
      timeline.record(
          org,
          m.campaignId(),
          m.leadPk(),
          m.messageId(),
          m.stepType(),
          "delivered",
          "in_app message fetched by the app",
          now);
    }
  }
}
