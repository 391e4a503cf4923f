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

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.sequencer.activities.planning.PlanningActivitiesImpl;
import dev.sequencer.activitiestest.ActivitiesIntegrationTest;
import dev.sequencer.config.SequencerProperties;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStep;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.campaign.Sender;
import dev.sequencer.store.campaign.StepType;
import dev.sequencer.store.inbound.WhatsappSessions;
import dev.sequencer.store.inbox.InboxMessages;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadEvent;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadRepository;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.store.message.Message;
import dev.sequencer.store.message.Messages;
import dev.sequencer.store.suppression.Suppressions;
import dev.sequencer.store.testing.CampaignBuilder;
import dev.sequencer.store.testing.StoreFixtures;
import dev.sequencer.workflows.lead.PlanRequest;
import dev.sequencer.workflows.lead.SendOutcome;
import dev.sequencer.workflows.lead.SendRequest;
import dev.sequencer.workflows.lead.SendResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Steps on a channel of their own, through the real send activity: WireMock plays Twilio's Messages
 * API (SMS and WhatsApp) and a webhook receiver; the in-app inbox is the database's. Covers the
 * route (fallback when an address is missing or bounced, never around an opt-out), WhatsApp's
 * template rule and 24-hour window on the activity's clock, signed webhook steps and the inbox.
 */
class ChannelSendStepTest extends ActivitiesIntegrationTest {

  private static final String MESSAGES_PATH = TwilioSmsSenderTest.MESSAGES_PATH;
  private static final String SENDER_PHONE = "+15005550006";
  private static final String CONTENT_SID = "HX" + "0123456789abcdef".repeat(2);

  /** Wednesday 2027-02-10, 10:00 in New York: inside every window of the lead. */
  private static final Instant WEDNESDAY_MORNING = Instant.parse("2027-02-10T15:00:00Z");

  private static final WireMockServer TWILIO = start();
  private static final WireMockServer RECEIVER = start();

  private static WireMockServer start() {
    WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());
    server.start();
    return server;
  }

  @DynamicPropertySource
  static void twilio(DynamicPropertyRegistry registry) {
    registry.add("sequencer.twilio.account-sid", () -> TwilioSmsSenderTest.ACCOUNT_SID);
    registry.add("sequencer.twilio.auth-token", () -> TwilioSmsSenderTest.AUTH_TOKEN);
    registry.add("sequencer.twilio.api-base-url", TWILIO::baseUrl);
  }

  @AfterAll
  static void stopServers() {
    TWILIO.stop();
    RECEIVER.stop();
  }

  @Autowired SendActivitiesImpl sending;
  @Autowired PlanningActivitiesImpl planning;
  @Autowired LeadRepository leads;
  @Autowired LeadQueries leadQueries;
  @Autowired LeadSteps leadSteps;
  @Autowired LeadTimeline timeline;
  @Autowired Messages messages;
  @Autowired Suppressions suppressions;
  @Autowired WhatsappSessions sessions;
  @Autowired InboxMessages inbox;
  @Autowired SequencerProperties properties;

  private final JsonMapper json = JsonMapper.builder().build();

  @BeforeEach
  void reset() {
    TWILIO.resetAll();
    RECEIVER.resetAll();
    clock.set(WEDNESDAY_MORNING);
    TWILIO.stubFor(
        post(urlPathEqualTo(MESSAGES_PATH))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json; charset=utf-8")
                    .withBody(
                        createdMessage(
                            "SM" + "ab".repeat(16), SENDER_PHONE, "+14155550100", "ok"))));
  }

  @Test
  void whatsappOutsideTheWindowSendsTheApprovedTemplateWithItsVariables() throws Exception {
    Campaign campaign = campaign(whatsapp(StepType.HOOK, 0));
    Lead lead = enrol(campaign, lead(campaign, "wanda", "Wanda", null, null, "+14155550111"));

    SendResult result = sending.sendStep(step(lead, 0, "hook"));

    assertThat(result.outcome()).isEqualTo(SendOutcome.SENT);
    Map<String, String> sent = onlyTwilioRequest();
    assertThat(sent)
        .containsEntry("To", "whatsapp:+14155550111")
        .containsEntry("From", "whatsapp:" + SENDER_PHONE)
        .containsEntry("ContentSid", CONTENT_SID)
        .doesNotContainKey("Body");
    assertThat(json.readTree(sent.get("ContentVariables")))
        .isEqualTo(json.readTree("{\"1\": \"Wanda\", \"2\": \"Acme\"}"));
    Message message = messages.ofLead(lead.id()).get(0);
    assertThat(message.channel()).isEqualTo("WHATSAPP");
    assertThat(message.contentSid()).isEqualTo(CONTENT_SID);
  }

  @Test
  void whatsappFreeTextOnlyWithinTwentyFourHoursOfTheLeadsLastMessage() {
    Campaign campaign = campaign(whatsapp(StepType.HOOK, 0), whatsapp(StepType.PROOF, 1));
    Lead lead = enrol(campaign, lead(campaign, "walt", "Walt", null, null, "+14155550112"));
    Instant wrote = WEDNESDAY_MORNING.minus(Duration.ofHours(23)).minusSeconds(59 * 60);
    sessions.inbound(campaign.organizationId(), SENDER_PHONE, "+14155550112", wrote);
    // The lead wrote to another business number too, later: that opens no window on this one.
    sessions.inbound(
        campaign.organizationId(),
        "+15005550009",
        "+14155550112",
        WEDNESDAY_MORNING.plusSeconds(60));

    // 23:59 after the lead wrote: free text.
    assertThat(sending.sendStep(step(lead, 0, "hook")).outcome()).isEqualTo(SendOutcome.SENT);
    Map<String, String> inside = onlyTwilioRequest();
    assertThat(inside)
        .containsEntry("Body", "Thanks for writing, Walt!")
        .doesNotContainKey("ContentSid");

    // 24:01 after: the window has closed, so the approved template again.
    TWILIO.resetRequests();
    SendResult late =
        sending.sendStep(
            new SendRequest(
                workflowId(lead),
                lead.id(),
                1,
                "proof",
                wrote.plus(Duration.ofHours(24)).plusSeconds(60)));
    assertThat(late.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(onlyTwilioRequest())
        .containsEntry("ContentSid", CONTENT_SID)
        .doesNotContainKey("Body");
  }

  @Test
  void aWhatsappStepFallsBackToSmsWhenTheLeadHasNoWhatsappNumber() {
    Campaign campaign = campaign(channelStep(StepType.HOOK, 0, Channel.WHATSAPP, "sms"));
    Lead lead = enrol(campaign, lead(campaign, "sam", "Sam", null, "+14155550113", null));

    assertThat(sending.sendStep(step(lead, 0, "hook")).outcome()).isEqualTo(SendOutcome.SENT);

    assertThat(onlyTwilioRequest())
        .containsEntry("To", "+14155550113")
        .containsEntry("From", SENDER_PHONE)
        .containsEntry("Body", "Thanks for writing, Sam!");
    assertThat(messages.ofLead(lead.id()).get(0).channel()).isEqualTo("SMS");
  }

  @Test
  void anEmailStepFallsBackToSmsWhenTheAddressBounced() {
    Campaign campaign = campaign(channelStep(StepType.HOOK, 0, Channel.EMAIL, "sms"));
    Lead lead =
        enrol(campaign, lead(campaign, "bo", "Bo", "bo@bounced.test", "+14155550114", null));
    suppressions.suppress(
        campaign.organizationId(), "EMAIL", "bo@bounced.test", "bounce", "550", clock.instant());

    assertThat(sending.sendStep(step(lead, 0, "hook")).outcome()).isEqualTo(SendOutcome.SENT);

    assertThat(onlyTwilioRequest()).containsEntry("To", "+14155550114");
    assertThat(messages.ofLead(lead.id())).extracting(Message::channel).containsExactly("SMS");
  }

  @Test
  void anOptOutIsNeverRoutedAroundToAnotherChannel() {
    Campaign campaign = campaign(channelStep(StepType.HOOK, 0, Channel.SMS, "email"));
    Lead lead =
        enrol(campaign, lead(campaign, "otto", "Otto", "otto@example.com", "+14155550115", null));
    suppressions.suppress(
        campaign.organizationId(), "SMS", "+14155550115", "keyword", "STOP", clock.instant());

    SendResult result = sending.sendStep(step(lead, 0, "hook"));

    assertThat(result.outcome()).isEqualTo(SendOutcome.STOPPED);
    assertThat(result.reason()).isEqualTo("opted_out");
    assertThat(TWILIO.findAll(postRequestedFor(urlPathEqualTo(MESSAGES_PATH)))).isEmpty();
    assertThat(messages.ofLead(lead.id())).isEmpty();
  }

  @Test
  void anOptOutAfterABounceIsStillNotRoutedAround() {
    Campaign campaign = campaign(channelStep(StepType.HOOK, 0, Channel.EMAIL, "sms"));
    Lead lead =
        enrol(campaign, lead(campaign, "bea", "Bea", "bea@bounced.test", "+14155550118", null));
    suppressions.suppress(
        campaign.organizationId(), "EMAIL", "bea@bounced.test", "bounce", "550", clock.instant());
    suppressions.suppress(
        campaign.organizationId(), "EMAIL", "bea@bounced.test", "link", null, clock.instant());

    SendResult result = sending.sendStep(step(lead, 0, "hook"));

    assertThat(result.outcome()).isEqualTo(SendOutcome.STOPPED);
    assertThat(result.reason()).isEqualTo("opted_out");
    assertThat(TWILIO.findAll(postRequestedFor(urlPathEqualTo(MESSAGES_PATH)))).isEmpty();
  }

  @Test
  void aStepNoChannelReachesIsSkippedAndTheSequenceGoesOn() {
    Campaign campaign =
        campaign(
            channelStep(StepType.HOOK, 0, Channel.WHATSAPP, "sms"),
            channelStep(StepType.PROOF, 1, Channel.EMAIL, null));
    Lead lead = enrol(campaign, lead(campaign, "nia", "Nia", "nia@example.com", null, null));

    SendResult result = sending.sendStep(step(lead, 0, "hook"));

    assertThat(result.outcome()).isEqualTo(SendOutcome.SKIPPED);
    assertThat(result.reason()).isEqualTo("no_address");
    assertThat(leadSteps.of(lead.id()).get(0).status()).isEqualTo("skipped");
    assertThat(leadSteps.of(lead.id()).get(0).reason()).isEqualTo("no_address");
    assertThat(leadSteps.of(lead.id()).get(1).status()).isEqualTo("scheduled");
    assertThat(timeline.of(lead.id())).extracting(LeadEvent::event).contains("skipped");
    assertThat(leads.findById(lead.id()).orElseThrow().status()).isEqualTo(LeadStatus.ACTIVE);
    assertThat(TWILIO.findAll(postRequestedFor(urlPathEqualTo(MESSAGES_PATH)))).isEmpty();
  }

  @Test
  void aWebhookStepPostsItsSignedPayloadAndCountsA2xxAsSent() throws Exception {
    RECEIVER.stubFor(post(urlPathEqualTo("/crm/tasks")).willReturn(aResponse().withStatus(500)));
    Campaign campaign =
        campaign(
            new CampaignStep(
                "A",
                StepType.HOOK,
                0,
                null,
                null,
                null,
                Channel.WEBHOOK,
                null,
                null,
                null,
                RECEIVER.baseUrl() + "/crm/tasks",
                "{\"title\": \"Call {{first_name}} at {{company}}\", \"due_in_days\": 2,"
                    + " \"tags\": [\"{{title}}\", \"outreach\"]}",
                null));
    Lead lead = enrol(campaign, lead(campaign, "cal", "Cal \"the\" Caller", null, null, null));

    // A 500 is not sent: the send's retries try again.
    assertThat(catchThrowable(() -> sending.sendStep(step(lead, 0, "hook"))))
        .hasMessageContaining("HTTP 500");
    RECEIVER.stubFor(post(urlPathEqualTo("/crm/tasks")).willReturn(aResponse().withStatus(204)));
    SendResult result = sending.sendStep(step(lead, 0, "hook"));

    assertThat(result.outcome()).isEqualTo(SendOutcome.SENT);
    List<LoggedRequest> posted = RECEIVER.findAll(postRequestedFor(urlPathEqualTo("/crm/tasks")));
    assertThat(posted).hasSize(2);
    LoggedRequest last = posted.get(1);
    String body = last.getBodyAsString();
    // The template's values rendered, quotes in the lead's name escaped as JSON.
    assertThat(json.readTree(body))
        .isEqualTo(
            json.readTree(
                "{\"title\": \"Call Cal \\\"the\\\" Caller at Acme\", \"due_in_days\": 2,"
                    + " \"tags\": [\"CTO\", \"outreach\"]}"));
    Message message = messages.ofLead(lead.id()).get(0);
    // The same webhook-id in every attempt: the message's id.
    assertThat(posted).extracting(r -> r.getHeader("webhook-id")).containsOnly(message.id());
    String secret =
        dev.sequencer.store.webhook.StepWebhookSecret.of(properties.tokenSecret(), campaign.id());
    String expected =
        "v1,"
            + hmac(
                Base64.getDecoder().decode(secret.substring("whsec_".length())),
                message.id() + "." + last.getHeader("webhook-timestamp") + "." + body);
    assertThat(last.getHeader("webhook-signature")).isEqualTo(expected);
    assertThat(message.channel()).isEqualTo("WEBHOOK");
    assertThat(message.recipient()).isEqualTo(RECEIVER.baseUrl() + "/crm/tasks");
  }

  @Test
  void anInAppStepLandsInTheContactsInbox() {
    Campaign campaign =
        campaign(
            new CampaignStep(
                "A",
                StepType.HOOK,
                0,
                null,
                "Hi {{first_name}}, your trial ends soon.",
                null,
                Channel.IN_APP,
                null,
                null,
                null,
                null,
                null,
                "A note for {{first_name}}"));
    Lead lead = enrol(campaign, lead(campaign, "ivy", "Ivy", null, null, null));

    assertThat(sending.sendStep(step(lead, 0, "hook")).outcome()).isEqualTo(SendOutcome.SENT);

    // No contact behind the lead: its inbox is its lead id.
    List<InboxMessages.InboxMessage> listed =
        inbox.fetch(campaign.organizationId(), "ivy", 10, clock.instant());
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).title()).isEqualTo("A note for Ivy");
    assertThat(listed.get(0).body()).isEqualTo("Hi Ivy, your trial ends soon.");
    assertThat(listed.get(0).messageId()).isEqualTo(messages.ofLead(lead.id()).get(0).id());
    assertThat(TWILIO.findAll(postRequestedFor(urlPathEqualTo(MESSAGES_PATH)))).isEmpty();
  }

  @Test
  void eachChannelOfAMixedCampaignHasItsOwnDailyLimit() {
    CampaignStep inApp =
        new CampaignStep(
            "A",
            StepType.HOOK,
            0,
            null,
            "Hi {{first_name}}",
            null,
            Channel.IN_APP,
            null,
            null,
            null,
            null,
            null,
            null);
    CampaignStep text = channelStep(StepType.PROOF, 1, Channel.SMS, null);
    Campaign campaign =
        fixtures()
            .save(
                CampaignBuilder.sms(fixtures().organization())
                    .sender(new Sender("ada@acme.test", "Ada", SENDER_PHONE, null))
                    .step(inApp)
                    .step(text)
                    .dailyLimit(1)
                    .build());
    Lead first = enrol(campaign, lead(campaign, "lim-1", "Lia", null, "+14155550116", null));
    Lead second = enrol(campaign, lead(campaign, "lim-2", "Leo", null, "+14155550117", null));

    // One in-app message a day: the second lead's waits for Thursday.
    assertThat(sending.sendStep(step(first, 0, "hook")).outcome()).isEqualTo(SendOutcome.SENT);
    SendResult waits = sending.sendStep(step(second, 0, "hook"));
    assertThat(waits.outcome()).isEqualTo(SendOutcome.DEFERRED);
    assertThat(waits.reason()).isEqualTo("daily_limit");
    // The same Wednesday, a text still has its own unit.
    SendResult texted =
        sending.sendStep(new SendRequest(workflowId(first), first.id(), 1, "proof", null));
    assertThat(texted.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(onlyTwilioRequest()).containsEntry("To", "+14155550116");

    java.time.LocalDate wednesday = java.time.LocalDate.parse("2027-02-10");
    assertThat(
            jdbc.sql("select used from daily_quota where quota_key = ? and day = ?")
                .params(campaign.id() + "/in_app", wednesday)
                .query(Integer.class)
                .single())
        .isEqualTo(1);
    assertThat(
            jdbc.sql("select used from daily_quota where quota_key = ? and day = ?")
                .params(campaign.id() + "/sms", wednesday)
                .query(Integer.class)
                .single())
        .isEqualTo(1);
  }

  private Map<String, String> onlyTwilioRequest() {
    List<LoggedRequest> requests = TWILIO.findAll(postRequestedFor(urlPathEqualTo(MESSAGES_PATH)));
    assertThat(requests).hasSize(1);
    return form(requests.get(0));
  }

  private static String hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
  }

  /** A WhatsApp step: the approved template, and free text for inside the window. */
  private static CampaignStep whatsapp(StepType type, int day) {
    return new CampaignStep(
        "A",
        type,
        day,
        null,
        "Thanks for writing, {{first_name}}!",
        null,
        Channel.WHATSAPP,
        null,
        CONTENT_SID,
        "{\"1\": \"{{first_name}}\", \"2\": \"{{company}}\"}",
        null,
        null,
        null);
  }

  private static CampaignStep channelStep(
      StepType type, int day, Channel channel, String fallback) {
    return new CampaignStep(
        "A",
        type,
        day,
        channel == Channel.EMAIL ? "Hello" : null,
        "Thanks for writing, {{first_name}}!",
        null,
        channel,
        fallback,
        channel == Channel.WHATSAPP ? CONTENT_SID : null,
        null,
        null,
        null,
        null);
  }

  /** An SMS campaign that also has an email address, any time of any day, with these steps. */
  private Campaign campaign(CampaignStep... steps) {
    CampaignBuilder builder =
        CampaignBuilder.sms(fixtures().organization())
            .sender(new Sender("ada@acme.test", "Ada", SENDER_PHONE, null));
    for (CampaignStep step : steps) {
      builder.step(step);
    }
    return fixtures().save(builder.build());
  }

  /** A pending lead in New York with exactly these addresses. */
  private Lead lead(
      Campaign campaign,
      String leadId,
      String firstName,
      String email,
      String phone,
      String whatsapp) {
    Lead lead = StoreFixtures.newLead(campaign, leadId, firstName, phone);
    return fixtures()
        .insert(
            new Lead(
                null,
                lead.organizationId(),
                lead.campaignId(),
                lead.leadId(),
                email,
                phone,
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
                null,
                whatsapp));
  }

  private Lead enrol(Campaign campaign, Lead lead) {
    leadQueries.enrol(lead.id(), LeadStatus.ACTIVE, "A", workflowId(lead));
    planning.planSteps(PlanRequest.fromStart(lead.id(), clock.instant()));
    assertThat(leadSteps.of(lead.id())).hasSize(campaign.baseSteps().size());
    return leads.findById(lead.id()).orElseThrow();
  }

  private static String workflowId(Lead lead) {
    return "lead-" + lead.campaignId() + "-" + lead.leadId();
  }

  private static SendRequest step(Lead lead, int position, String type) {
    return new SendRequest(workflowId(lead), lead.id(), position, type, null);
  }
}
