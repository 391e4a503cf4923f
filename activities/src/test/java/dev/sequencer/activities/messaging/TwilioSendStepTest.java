package dev.sequencer.activities.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sequencer.activities.messaging.TwilioSmsSenderTest.createdMessage;
import static dev.sequencer.activities.messaging.TwilioSmsSenderTest.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.BasicCredentials;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.twilio.exception.ApiException;
import dev.sequencer.activities.planning.PlanningActivitiesImpl;
import dev.sequencer.activitiestest.ActivitiesIntegrationTest;
import dev.sequencer.content.SmsSegments;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.StepType;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadEvent;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadRepository;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadStep;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.store.message.Message;
import dev.sequencer.store.message.MessageStatus;
import dev.sequencer.store.message.Messages;
import dev.sequencer.store.quota.DailyQuota;
import dev.sequencer.store.testing.CampaignBuilder;
import dev.sequencer.store.testing.StoreFixtures;
import dev.sequencer.workflows.lead.PlanRequest;
import dev.sequencer.workflows.lead.SendOutcome;
import dev.sequencer.workflows.lead.SendRequest;
import dev.sequencer.workflows.lead.SendResult;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The send activity of an SMS campaign with Twilio credentials set, as the worker runs it, against
 * WireMock playing Twilio's REST API at {@code sequencer.twilio.api-base-url}. A context of its own
 * (the Twilio properties are part of its key), on the JVM's shared embedded PostgreSQL.
 */
class TwilioSendStepTest extends ActivitiesIntegrationTest {

  private static final String ACCOUNT_SID = TwilioSmsSenderTest.ACCOUNT_SID;
  private static final String AUTH_TOKEN = TwilioSmsSenderTest.AUTH_TOKEN;
  private static final String MESSAGES_PATH = TwilioSmsSenderTest.MESSAGES_PATH;
  private static final String SENDER_PHONE = "+15005550006";

  /** Wednesday 2027-02-10, 10:00 in New York: inside the SMS hours (08:00–21:00) of the lead. */
  private static final Instant WEDNESDAY_MORNING = Instant.parse("2027-02-10T15:00:00Z");

  private static final LocalDate WEDNESDAY = LocalDate.parse("2027-02-10");

  /** Started before the Spring context is built, which reads its URL. */
  private static final WireMockServer TWILIO = startTwilio();

  private static WireMockServer startTwilio() {
    WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());
    server.start();
    return server;
  }

  @DynamicPropertySource
  static void twilio(DynamicPropertyRegistry registry) {
    registry.add("sequencer.twilio.account-sid", () -> ACCOUNT_SID);
    registry.add("sequencer.twilio.auth-token", () -> AUTH_TOKEN);
    registry.add("sequencer.twilio.api-base-url", TWILIO::baseUrl);
  }

  @AfterAll
  static void stopTwilio() {
    TWILIO.stop();
  }

  @Autowired SendActivitiesImpl sending;
  @Autowired PlanningActivitiesImpl planning;
  @Autowired LeadRepository leads;
  @Autowired LeadQueries leadQueries;
  @Autowired LeadSteps leadSteps;
  @Autowired LeadTimeline timeline;
  @Autowired Messages messages;
  @Autowired DailyQuota quota;
  @Autowired SmsSender sms;

  @BeforeEach
  void resetTwilio() {
    TWILIO.resetAll();
    clock.set(WEDNESDAY_MORNING);
  }

  /**
   * A timer that fires late must not text a Floridian after 20:00, though the federal hours run to
   * 21:00: the send is deferred to 08:00 the next morning, for the reason quiet_hours, and nothing
   * reaches Twilio.
   */
  @Test
  void aTextDueAfterEightPmInFloridaWaitsForTheMorning() {
    Campaign campaign = smsCampaign("Hi {{first_name|there}}");
    // A Miami number, no state attribute: Florida by its area code.
    Lead lead = enrol(campaign, lead(campaign, "miami", "Flo", "+13055550100"));
    // Wednesday 2027-02-10 20:30 EST = 2027-02-11T01:30Z.
    clock.set(Instant.parse("2027-02-11T01:30:00Z"));

    SendResult result = sending.sendStep(hook(lead));

    // Thursday 08:00 EST = 13:00Z.
    Instant morning = Instant.parse("2027-02-11T13:00:00Z");
    assertThat(result.outcome()).isEqualTo(SendOutcome.DEFERRED);
    assertThat(result.retryAt()).isEqualTo(morning);
    assertThat(result.reason()).isEqualTo("quiet_hours");
    assertThat(TWILIO.findAll(postRequestedFor(urlPathEqualTo(MESSAGES_PATH)))).isEmpty();
    LeadStep step = leadSteps.of(lead.id()).get(0);
    assertThat(step.scheduledAt()).isEqualTo(morning);
    assertThat(step.reason()).isEqualTo("quiet_hours");
    assertThat(timeline.of(lead.id()))
        .extracting(LeadEvent::event, LeadEvent::detail)
        .contains(tuple("deferred", "quiet_hours, next attempt " + morning));
  }

  @Test
  void sendsTheStepThroughTwilioAndRecordsItsSid() {
    String sid = "SM1b2c3d4e5f60718293a4b5c6d7e8f901";
    Campaign campaign = smsCampaign("Hi {{first_name|there}}, " + "a".repeat(170));
    Lead lead = enrol(campaign, lead(campaign, "texted", "Tex", "+14155550100"));
    String body = "Hi Tex, " + "a".repeat(170);
    stubCreated(sid, "+14155550100", body);
    Instant sentAt = WEDNESDAY_MORNING.plusMillis(250);
    clock.set(sentAt);

    SendResult result = sending.sendStep(hook(lead));

    assertThat(sms).isInstanceOf(TwilioSmsSender.class);
    assertThat(result.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(result.sentAt()).isEqualTo(sentAt);

    // What Twilio got: one create, authenticated as the account, with the status callback.
    List<LoggedRequest> requests = TWILIO.findAll(postRequestedFor(urlPathEqualTo(MESSAGES_PATH)));
    assertThat(requests).hasSize(1);
    assertThat(TWILIO.getAllServeEvents()).hasSize(1);
    TWILIO.verify(
        postRequestedFor(urlPathEqualTo(MESSAGES_PATH))
            .withBasicAuth(new BasicCredentials(ACCOUNT_SID, AUTH_TOKEN)));
    assertThat(form(requests.get(0)))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "To",
                "+14155550100",
                "From",
                SENDER_PHONE,
                "Body",
                body,
                "StatusCallback",
                "http://sequencer.test/webhooks/twilio/status"));

    // What was recorded: a real send, under Twilio's SID.
    Message message = messages.byIdempotencyKey(workflowId(lead) + ":0").orElseThrow();
    assertThat(message.id()).isEqualTo(result.messageId());
    assertThat(message.channel()).isEqualTo("SMS");
    assertThat(message.status()).isEqualTo(MessageStatus.SENT);
    assertThat(message.dryRun()).isFalse();
    assertThat(message.providerMessageId()).isEqualTo(sid);
    assertThat(message.segments()).isEqualTo(2).isEqualTo(SmsSegments.of(body).segments());
    assertThat(message.recipient()).isEqualTo("+14155550100");
    assertThat(message.bodyText()).isEqualTo(body);
    assertThat(message.sentAt()).isEqualTo(sentAt);
    assertThat(
            jdbc.sql("select dry_run from messages where id = ?")
                .param(message.id())
                .query(Boolean.class)
                .single())
        .isFalse();
    assertThat(
            jdbc.sql("select provider_message_id from messages where id = ?")
                .param(message.id())
                .query(String.class)
                .single())
        .isEqualTo(sid);

    LeadStep hook = leadSteps.of(lead.id()).get(0);
    assertThat(hook.status()).isEqualTo("sent");
    assertThat(hook.sentAt()).isEqualTo(sentAt);
    assertThat(hook.messageId()).isEqualTo(message.id());
    List<LeadEvent> events = timeline.of(lead.id());
    assertThat(events).extracting(LeadEvent::event).containsExactly("sent");
    assertThat(events.get(0).detail()).contains(sid).doesNotContain("dry run");
    assertThat(quota.used(campaign.id(), WEDNESDAY)).isEqualTo(1);

    // A retry of the activity (say the worker lost the result) sends nothing more.
    assertThat(sending.sendStep(hook(lead))).isEqualTo(result);
    assertThat(TWILIO.getAllServeEvents()).hasSize(1);
  }

  @Test
  void anInvalidNumberFailsTheStepForGoodAndTheRetrySendsNothing() {
    Campaign campaign = smsCampaign("Hi {{first_name|there}}");
    Lead lead = enrol(campaign, lead(campaign, "badnumber", "Bad", "+1555"));
    TWILIO.stubFor(
        post(urlPathEqualTo(MESSAGES_PATH))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"code\": 21211, \"message\": \"The 'To' number +1555 is not a valid"
                            + " phone number.\", \"more_info\":"
                            + " \"https://www.twilio.com/docs/errors/21211\", \"status\": 400}")));

    SendResult result = sending.sendStep(hook(lead));
    clock.set(WEDNESDAY_MORNING.plusSeconds(10));
    SendResult retry = sending.sendStep(hook(lead));

    assertThat(result.outcome()).isEqualTo(SendOutcome.FAILED);
    assertThat(result.reason()).isEqualTo("21211");
    assertThat(retry.outcome()).isEqualTo(SendOutcome.FAILED);
    assertThat(retry).isEqualTo(result);
    assertThat(TWILIO.getAllServeEvents()).hasSize(1);
    assertThat(form(TWILIO.getAllServeEvents().get(0).getRequest())).containsEntry("To", "+1555");

    List<Message> sent = messages.ofLead(lead.id());
    assertThat(sent).hasSize(1);
    Message message = sent.get(0);
    assertThat(message.status()).isEqualTo(MessageStatus.FAILED);
    assertThat(message.errorCode()).isEqualTo("21211");
    assertThat(message.errorMessage())
        .isEqualTo("The 'To' number +1555 is not a valid phone number.");
    assertThat(message.providerMessageId()).isNull();
    assertThat(message.sentAt()).isNull();
    assertThat(message.dryRun()).isFalse();
    LeadStep hook = leadSteps.of(lead.id()).get(0);
    assertThat(hook.status()).isEqualTo("failed");
    assertThat(hook.reason()).isEqualTo("21211");
    assertThat(hook.sentAt()).isNull();
    assertThat(leadSteps.of(lead.id()).subList(1, 3))
        .extracting(LeadStep::status)
        .containsExactly("scheduled", "scheduled");
    assertThat(timeline.of(lead.id())).extracting(LeadEvent::event).containsExactly("failed");
    assertThat(timeline.of(lead.id()).get(0).detail()).startsWith("21211: ");
    assertThat(quota.used(campaign.id(), WEDNESDAY)).isZero();
  }

  @Test
  void whenTwilioIsUnavailableTheActivityThrowsAndTheRetrySendsOnce() {
    String sid = "SMaa00bb11cc22dd33ee44ff5566778899";
    Campaign campaign = smsCampaign("Hi {{first_name|there}}");
    Lead lead = enrol(campaign, lead(campaign, "later", "Later", "+14155550102"));
    TWILIO.stubFor(
        post(urlPathEqualTo(MESSAGES_PATH))
            .willReturn(
                aResponse()
                    .withStatus(503)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"code\": 20503, \"message\": \"Service Unavailable\", \"more_info\":"
                            + " \"https://www.twilio.com/docs/errors/20503\", \"status\": 503}")));

    Throwable thrown = catchThrowable(() -> sending.sendStep(hook(lead)));

    // Not a PermanentSendFailure: Temporal retries the activity.
    assertThat(thrown).isInstanceOf(ApiException.class).isNotInstanceOf(PermanentSendFailure.class);
    // The SDK and its HTTP client repeated the request on their own before giving up.
    assertThat(TWILIO.getAllServeEvents())
        .isNotEmpty()
        .allSatisfy(event -> assertThat(event.getResponse().getStatus()).isEqualTo(503));
    // The attempt was committed before the hand-over, with its unit of the day.
    assertThat(messages.byIdempotencyKey(workflowId(lead) + ":0").orElseThrow().status())
        .isEqualTo(MessageStatus.SENDING);
    LeadStep hook = leadSteps.of(lead.id()).get(0);
    assertThat(hook.status()).isEqualTo("scheduled");
    assertThat(hook.sentAt()).isNull();
    assertThat(timeline.of(lead.id())).isEmpty();
    assertThat(quota.used(campaign.id(), WEDNESDAY)).isEqualTo(1);

    // Twilio is back for Temporal's next attempt: it has no such message, so it goes out once.
    stubListed(List.of());
    stubCreated(sid, "+14155550102", "Hi Later");
    clock.set(WEDNESDAY_MORNING.plusSeconds(5));
    SendResult retried = sending.sendStep(hook(lead));

    assertThat(retried.outcome()).isEqualTo(SendOutcome.SENT);
    List<ServeEvent> created =
        TWILIO.getAllServeEvents().stream()
            .filter(event -> event.getResponse().getStatus() == 201)
            .toList();
    assertThat(created).hasSize(1);
    assertThat(form(created.get(0).getRequest()))
        .containsEntry("To", "+14155550102")
        .containsEntry("Body", "Hi Later");
    List<Message> sent = messages.ofLead(lead.id());
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).id()).isEqualTo(retried.messageId());
    assertThat(sent.get(0).status()).isEqualTo(MessageStatus.SENT);
    assertThat(sent.get(0).providerMessageId()).isEqualTo(sid);
    assertThat(sent.get(0).dryRun()).isFalse();
    assertThat(sent.get(0).segments()).isEqualTo(1);
    assertThat(leadSteps.of(lead.id()).get(0).status()).isEqualTo("sent");
    assertThat(timeline.of(lead.id())).extracting(LeadEvent::event).containsExactly("sent");
    assertThat(quota.used(campaign.id(), WEDNESDAY)).isEqualTo(1);
  }

  @Test
  void anSmsTwilioAcceptedBeforeTheWorkerDiedIsFoundThereAndNotSentAgain() {
    String sid = "SMcc00dd11ee22ff33aa44bb5566778899";
    Campaign campaign = smsCampaign("Hi {{first_name|there}}");
    Lead lead = enrol(campaign, lead(campaign, "found", "Found", "+14155550103"));
    stubCreated(sid, "+14155550103", "Hi Found");
    // Twilio takes the message, then the database fails before the outcome is recorded (as when
    // the worker is killed at that moment).
    Messages failingToRecord =
        new Messages(jdbc) {
          @Override
          public boolean markSent(String id, String providerMessageId, Instant sentAt) {
            throw new org.springframework.dao.DataAccessResourceFailureException("gone");
          }
        };
    SendLimits limits = context.getBean(SendLimits.class);
    SendActivitiesImpl dying =
        new SendActivitiesImpl(
            context.getBean(dev.sequencer.store.campaign.CampaignRepository.class),
            leads,
            leadQueries,
            leadSteps,
            timeline,
            failingToRecord,
            context.getBean(dev.sequencer.store.message.MessageLinks.class),
            context.getBean(Consent.class),
            limits,
            context.getBean(dev.sequencer.activities.limits.SlotCalendar.class),
            context.getBean(MessageRenderer.class),
            context.getBean(ProviderHandOver.class),
            new SendRecords(
                failingToRecord,
                leadSteps,
                timeline,
                limits,
                context.getBean(org.springframework.transaction.support.TransactionTemplate.class),
                context.getBean(dev.sequencer.store.health.AutoPauses.class)),
            context.getBean(org.springframework.transaction.support.TransactionTemplate.class),
            context.getBean(SendMetrics.class),
            clock,
            context.getBean(dev.sequencer.store.sender.Senders.class),
            context.getBean(dev.sequencer.store.generation.LeadGenerations.class),
            context.getBean(ChannelRouting.class));
    catchThrowable(() -> dying.sendStep(hook(lead)));
    stubListed(List.of(createdMessage(sid, SENDER_PHONE, "+14155550103", "Hi Found")));

    SendResult retried = sending.sendStep(hook(lead));

    assertThat(retried.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(
            TWILIO
                .countRequestsMatching(postRequestedFor(urlPathEqualTo(MESSAGES_PATH)).build())
                .getCount())
        .isEqualTo(1);
    Message message = messages.ofLead(lead.id()).get(0);
    assertThat(message.status()).isEqualTo(MessageStatus.SENT);
    assertThat(message.providerMessageId()).isEqualTo(sid);
    assertThat(leadSteps.of(lead.id()).get(0).status()).isEqualTo("sent");
    assertThat(timeline.of(lead.id())).extracting(LeadEvent::event).containsExactly("sent");
  }

  // --- helpers ---

  /** Twilio's message list (newest first) for the look-up of an attempt of unknown outcome. */
  private static void stubListed(List<String> messagesJson) {
    TWILIO.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo(MESSAGES_PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json; charset=utf-8")
                    .withBody(
                        "{\"messages\": ["
                            + String.join(",", messagesJson)
                            + "], \"end\": 0, \"first_page_uri\": \""
                            + MESSAGES_PATH
                            + "?PageSize=50&Page=0\", \"next_page_uri\": null, \"page\": 0,"
                            + " \"page_size\": 50, \"previous_page_uri\": null, \"start\": 0,"
                            + " \"uri\": \""
                            + MESSAGES_PATH
                            + "?PageSize=50&Page=0\"}")));
  }

  private static void stubCreated(String sid, String to, String body) {
    TWILIO.stubFor(
        post(urlPathEqualTo(MESSAGES_PATH))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json; charset=utf-8")
                    .withBody(createdMessage(sid, SENDER_PHONE, to, body))));
  }

  /** An SMS campaign (sender +15005550006, any time of any day, daily limit 10) with a hook. */
  private Campaign smsCampaign(String hookBody) {
    return fixtures()
        .save(
            CampaignBuilder.sms(fixtures().organization())
                .step("A", StepType.HOOK, 0, null, hookBody)
                .step("A", StepType.PROOF, 3, null, "Proof")
                .step("A", StepType.FOMO, 7, null, "Last")
                .dailyLimit(10)
                .build());
  }

  /** A pending lead in New York, whose SMS hours at 15:00Z are open. */
  private Lead lead(Campaign campaign, String leadId, String firstName, String phone) {
    Lead lead = StoreFixtures.newLead(campaign, leadId, firstName, phone);
    return fixtures()
        .insert(
            new Lead(
                null,
                lead.organizationId(),
                lead.campaignId(),
                lead.leadId(),
                lead.email(),
                lead.phone(),
                lead.firstName(),
                lead.lastName(),
                lead.company(),
                lead.title(),
                "America/New_York",
                lead.attributes(),
                lead.status(),
                null,
                null,
                lead.createdAt(),
                lead.updatedAt(),
                null));
  }

  /** Enrols the lead in variant A and plans its steps from now, as the workflow does. */
  private Lead enrol(Campaign campaign, Lead lead) {
    leadQueries.enrol(lead.id(), LeadStatus.ACTIVE, "A", workflowId(lead));
    planning.planSteps(PlanRequest.fromStart(lead.id(), clock.instant()));
    assertThat(leadSteps.of(lead.id())).hasSize(campaign.baseSteps().size());
    return leads.findById(lead.id()).orElseThrow();
  }

  private static String workflowId(Lead lead) {
    return "lead-" + lead.campaignId() + "-" + lead.leadId();
  }

  private static SendRequest hook(Lead lead) {
    return new SendRequest(workflowId(lead), lead.id(), 0, "hook", null);
  }
}
