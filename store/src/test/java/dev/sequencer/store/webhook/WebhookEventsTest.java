package dev.sequencer.store.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.Ids;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignTransitions;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.store.message.Message;
import dev.sequencer.store.message.MessageStatus;
import dev.sequencer.store.message.Messages;
import dev.sequencer.store.testing.CampaignBuilder;
import dev.sequencer.storetest.StoreIntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every transition an endpoint can subscribe to becomes exactly one webhook event in the
 * transition's own transaction, with the fields the contract names; transitions no endpoint wants,
 * and changes that are not transitions, become none.
 */
class WebhookEventsTest extends StoreIntegrationTest {

  private static final Instant AT = Instant.parse("2027-03-02T15:00:00Z");

  @Autowired WebhookEndpoints endpoints;
  @Autowired WebhookDeliveries deliveries;
  @Autowired CampaignTransitions transitions;
  @Autowired LeadQueries leadQueries;
  @Autowired LeadTimeline timeline;
  @Autowired Messages messages;
  @Autowired dev.sequencer.store.contact.ContactErasure erasure;

  private final JsonMapper json = JsonMapper.builder().build();

  /** The endpoint's events in delivery order: (type, data). */
  private List<Map.Entry<String, JsonNode>> events(String endpointId) {
    return jdbc.sql(
            "select e.type, e.payload::text from webhook_deliveries d join webhook_events e"
                + " on e.id = d.event_id where d.endpoint_id = ? order by d.id")
        .param(endpointId)
        .query((rs, n) -> Map.entry(rs.getString(1), json.readTree(rs.getString(2)).get("data")))
        .list();
  }

  private Message message(Campaign campaign, Lead lead, String step) {
    Message m =
        new Message(
            Ids.next("msg"),
            campaign.organizationId(),
            campaign.id(),
            lead.id(),
            step,
            "A",
            "EMAIL",
            "key-" + Ids.next("k"),
            lead.email(),
            "Quick idea",
            "Hi",
            null,
            null,
            MessageStatus.SENDING,
            false,
            null,
            null,
            null,
            AT,
            null,
            1,
            null,
            null,
            null,
            null,
            null);
    messages.begin(m, AT.plus(Duration.ofMinutes(2)));
    return m;
  }

  @Test
  void eachTransitionIsOneEventWithTheContractsFields() {
    String org = fixtures().organization();
    WebhookEndpoint endpoint =
        endpoints.create(org, "https://hooks.example.com/in", List.of("*"), "whsec_AAAA");
    Campaign campaign =
        fixtures()
            .save(
                CampaignBuilder.email(org)
                    .status(dev.sequencer.store.campaign.CampaignStatus.DRAFT)
                    .build());
    transitions.schedule(campaign.id(), AT, "campaign-" + campaign.id());
    transitions.markRunning(campaign.id());
    campaigns.updateStatus(campaign.id(), "PAUSED", null);
    campaigns.updateStatus(campaign.id(), "RUNNING", null);
    campaigns.updateStatus(campaign.id(), "RUNNING", null); // not a transition
    campaigns.pauseWithReason(campaign.id(), "auto-paused: bounce rate 5.0 % over 2.0 %");

    Lead lead = fixtures().lead(campaign, "crm-1", "Ada");
    Message hook = message(campaign, lead, "hook");
    messages.markSent(hook.id(), "provider-1", AT);
    timeline.record(org, campaign.id(), lead.id(), hook.id(), "hook", "opened", null, AT);
    timeline.record(
        org, campaign.id(), lead.id(), hook.id(), "hook", "clicked", "https://example.com/a", AT);
    timeline.record(org, campaign.id(), lead.id(), null, null, "deferred", "daily_limit", AT);
    timeline.record(
        org, campaign.id(), lead.id(), null, null, "replied", "interested: sounds good", AT);
    timeline.record(
        org, campaign.id(), lead.id(), null, null, "out_of_office", "out_of_office: away", AT);
    Message proof = message(campaign, lead, "proof");
    messages.markFailed(proof.id(), "550", "mailbox unavailable");
    timeline.record(org, campaign.id(), lead.id(), null, null, "bounced", "bounced by bounce", AT);
    timeline.record(
        org, campaign.id(), lead.id(), null, null, "opted_out", "opted out by link", AT);
    jdbc.sql(
            "insert into conversions (id, organization_id, campaign_id, lead_pk, event, value,"
                + " occurred_at, attributed, basis, step, basis_at, window_days, created_at)"
                + " values ('cnv_1', ?, ?, ?, 'purchase', 42.5, ?, true, 'message', 'hook', ?, 7,"
                + " now())")
        .params(org, campaign.id(), lead.id(), Timestamp.from(AT), Timestamp.from(AT))
        .update();
    leadQueries.transition(lead.id(), LeadStatus.ACTIVE);
    leadQueries.transition(lead.id(), LeadStatus.COMPLETED);
    leadQueries.transition(lead.id(), LeadStatus.COMPLETED); // not a transition
    campaigns.updateStatus(campaign.id(), "CANCELLED", "budget spent");

    List<Map.Entry<String, JsonNode>> events = events(endpoint.id());
    assertThat(events)
        .extracting(Map.Entry::getKey)
        .containsExactly(
            "campaign.created",
            "campaign.started",
            "campaign.paused",
            "campaign.resumed",
            "campaign.auto_paused",
            "message.sent",
            "message.opened",
            "message.clicked",
            "message.replied",
            "message.replied",
            "message.failed",
            "message.bounced",
            "message.unsubscribed",
            "message.converted",
            "lead.completed",
            "campaign.cancelled");
    for (Map.Entry<String, JsonNode> event : events) {
      assertThat(event.getValue().get("campaign_id").asString()).isEqualTo(campaign.id());
      if (!event.getKey().startsWith("campaign.")) {
        assertThat(event.getValue().get("lead_id").asString()).isEqualTo("crm-1");
      }
    }
    JsonNode sent = events.get(5).getValue();
    assertThat(sent.get("message_id").asString()).isEqualTo(hook.id());
    assertThat(sent.get("step").asString()).isEqualTo("hook");
    assertThat(sent.get("channel").asString()).isEqualTo("email");
    assertThat(events.get(4).getValue().get("reason").asString())
        .isEqualTo("auto-paused: bounce rate 5.0 % over 2.0 %");
    assertThat(events.get(6).getValue().get("message_id").asString()).isEqualTo(hook.id());
    assertThat(events.get(7).getValue().get("url").asString()).isEqualTo("https://example.com/a");
    JsonNode replied = events.get(8).getValue();
    assertThat(replied.get("classification").asString()).isEqualTo("interested");
    assertThat(replied.get("summary").asString()).isEqualTo("sounds good");
    // A reply names no message: it answers the last one sent.
    assertThat(replied.get("message_id").asString()).isEqualTo(hook.id());
    assertThat(events.get(9).getValue().get("classification").asString())
        .isEqualTo("out_of_office");
    JsonNode failed = events.get(10).getValue();
    assertThat(failed.get("message_id").asString()).isEqualTo(proof.id());
    assertThat(failed.get("step").asString()).isEqualTo("proof");
    assertThat(failed.get("error_code").asString()).isEqualTo("550");
    JsonNode converted = events.get(13).getValue();
    assertThat(converted.get("event").asString()).isEqualTo("purchase");
    assertThat(converted.get("value").decimalValue()).isEqualByComparingTo("42.5");
    assertThat(converted.get("attributed").asBoolean()).isTrue();
    assertThat(events.get(15).getValue().get("reason").asString()).isEqualTo("budget spent");

    // One lead's events share one key, and the campaign's another: each key goes out in order.
    assertThat(
            jdbc.sql(
                    "select count(distinct ordering_key) from webhook_deliveries"
                        + " where endpoint_id = ?")
                .param(endpoint.id())
                .query(Long.class)
                .single())
        .isEqualTo(2);
  }

  @Test
  void onlyTheTypesAnActiveEndpointWantsAreQueued() {
    String org = fixtures().organization();
    WebhookEndpoint sentOnly =
        endpoints.create(org, "https://hooks.example.com/sent", List.of("message.sent"), "whsec_A");
    WebhookEndpoint gone =
        endpoints.create(org, "https://hooks.example.com/gone", List.of("*"), "whsec_A");
    endpoints.delete(org, gone.id());
    String otherOrg = fixtures().organization();
    WebhookEndpoint other =
        endpoints.create(otherOrg, "https://hooks.example.com/other", List.of("*"), "whsec_A");

    Campaign campaign = fixtures().save(CampaignBuilder.email(org).build());
    Lead lead = fixtures().lead(campaign, "crm-2", "Bo");
    Message hook = message(campaign, lead, "hook");
    messages.markSent(hook.id(), "provider-2", AT);
    messages.markSent(hook.id(), "provider-2", AT); // repeated: no second event

    assertThat(events(sentOnly.id())).extracting(Map.Entry::getKey).containsExactly("message.sent");
    assertThat(events(gone.id())).isEmpty();
    assertThat(events(other.id())).isEmpty();
  }

  @Test
  void anSmsDeliveryAndACompletedCampaignAreEventsToo() {
    String org = fixtures().organization();
    WebhookEndpoint endpoint =
        endpoints.create(
            org,
            "https://hooks.example.com/more",
            List.of("message.delivered", "campaign.completed"),
            "whsec_A");
    Campaign campaign = fixtures().save(CampaignBuilder.email(org).build());
    Lead lead = fixtures().lead(campaign, "crm-3", "Cy");
    Message hook = message(campaign, lead, "hook");
    messages.markSent(hook.id(), "SM123", AT);
    messages.recordDeliveryOutcome(hook.id(), MessageStatus.DELIVERED, null, null);
    messages.recordDeliveryOutcome(hook.id(), MessageStatus.DELIVERED, null, null); // late repeat
    assertThat(campaigns.completeIfDone(campaign.id())).isZero(); // a lead is still open
    leadQueries.transition(lead.id(), LeadStatus.ACTIVE);
    leadQueries.transition(lead.id(), LeadStatus.COMPLETED);
    assertThat(campaigns.completeIfDone(campaign.id())).isOne();

    List<Map.Entry<String, JsonNode>> events = events(endpoint.id());
    assertThat(events)
        .extracting(Map.Entry::getKey)
        .containsExactly("message.delivered", "campaign.completed");
    assertThat(events.get(0).getValue().get("message_id").asString()).isEqualTo(hook.id());
    assertThat(events.get(0).getValue().get("status").asString()).isEqualTo("delivered");
    assertThat(events.get(1).getValue().get("status").asString()).isEqualTo("completed");
  }

  @Test
  void erasingAContactDeletesItsLeadsWebhookEventsAndNoOneElses() {
    String org = fixtures().organization();
    WebhookEndpoint endpoint =
        endpoints.create(org, "https://hooks.example.com/erase", List.of("*"), "whsec_A");
    Campaign campaign = fixtures().save(CampaignBuilder.email(org).build());
    Lead erased = fixtures().lead(campaign, "crm-5", "Eve");
    Lead kept = fixtures().lead(campaign, "crm-6", "Fay");
    jdbc.sql(
            "insert into contacts (organization_id, contact_id, email, created_at, updated_at)"
                + " values (?, 'eve', ?, now(), now())")
        .params(org, erased.email())
        .update();
    messages.markSent(message(campaign, erased, "hook").id(), "p-5", AT);
    messages.markSent(message(campaign, kept, "hook").id(), "p-6", AT);
    assertThat(events(endpoint.id())).hasSize(3); // campaign.created and two sends

    assertThat(erasure.erase(org, "eve")).isPresent();

    assertThat(events(endpoint.id()))
        .extracting(e -> e.getValue().path("lead_id").asString(""))
        .containsExactly("", "crm-6");
  }

  @Test
  void theRetentionSweepDeletesOldEventsThatHaveNothingPending() {
    String org = fixtures().organization();
    WebhookEndpoint endpoint =
        endpoints.create(org, "https://hooks.example.com/old", List.of("*"), "whsec_A");
    Campaign campaign = fixtures().save(CampaignBuilder.email(org).build()); // campaign.created
    Lead lead = fixtures().lead(campaign, "crm-7", "Gus");
    messages.markSent(message(campaign, lead, "hook").id(), "p-7", AT); // message.sent
    jdbc.sql(
            "update webhook_events set created_at = now() - interval '40 days'"
                + " where organization_id = ?")
        .param(org)
        .update();
    jdbc.sql(
            "update webhook_deliveries set status = 'succeeded' where endpoint_id = ?"
                + " and event_id in (select id from webhook_events where type = 'campaign.created')")
        .param(endpoint.id())
        .update();

    deliveries.purgeBefore(Instant.now().minus(Duration.ofDays(30)), 10_000);

    // The delivered one is gone; the pending one stays until it is delivered or given up.
    assertThat(events(endpoint.id())).extracting(Map.Entry::getKey).containsExactly("message.sent");
  }
}
