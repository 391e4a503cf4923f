package dev.sequencer.activities.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.sequencer.activities.limits.SlotCalendar;
import dev.sequencer.activities.planning.PlanningActivitiesImpl;
import dev.sequencer.activitiestest.ActivitiesIntegrationTest;
import dev.sequencer.activitiestest.RefusingSmtpServer;
import dev.sequencer.config.SequencerProperties;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignStatus;
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
import dev.sequencer.store.message.MessageLinks;
import dev.sequencer.store.message.MessageStatus;
import dev.sequencer.store.message.Messages;
import dev.sequencer.store.quota.DailyQuota;
import dev.sequencer.store.quota.MinuteQuota;
import dev.sequencer.store.suppression.Suppressions;
import dev.sequencer.store.testing.CampaignBuilder;
import dev.sequencer.store.testing.StoreFixtures;
import dev.sequencer.workflows.lead.LeadEnding;
import dev.sequencer.workflows.lead.LeadOutcome;
import dev.sequencer.workflows.lead.PlanRequest;
import dev.sequencer.workflows.lead.SendOutcome;
import dev.sequencer.workflows.lead.SendRequest;
import dev.sequencer.workflows.lead.SendResult;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

class SendActivitiesImplTest extends ActivitiesIntegrationTest {

  /** A fresh SMTP server for every test, on the port the context's mail sender uses. */
  @RegisterExtension
  static final GreenMailExtension greenMail =
      new GreenMailExtension(ServerSetupTest.SMTP.port(SMTP_PORT));

  /** Wednesday 2027-02-10, 10:00 in New York. */
  private static final Instant WEDNESDAY_MORNING = Instant.parse("2027-02-10T15:00:00Z");

  @Autowired SendActivitiesImpl sending;
  @Autowired PlanningActivitiesImpl planning;
  @Autowired CampaignRepository campaigns;
  @Autowired LeadRepository leads;
  @Autowired LeadQueries leadQueries;
  @Autowired LeadSteps leadSteps;
  @Autowired LeadTimeline timeline;
  @Autowired Messages messages;
  @Autowired Suppressions suppressions;
  @Autowired DailyQuota quota;
  @Autowired MinuteQuota minuteQuota;
  @Autowired TransactionTemplate transaction;
  @Autowired SmsSender sms;
  @Autowired SequencerProperties properties;
  @Autowired JsonMapper json;

  @Test
  void sendsTheHookOverSmtpAndRecordsIt() throws Exception {
    clock.set(WEDNESDAY_MORNING);
    Campaign campaign =
        fixtures().save(CampaignBuilder.email(fixtures().organization()).dailyLimit(10).build());
    Lead lead = enrol(campaign, lead(campaign, "grace", "Grace", "Smith & Sons", "UTC"));
    Instant sentAt = WEDNESDAY_MORNING.plusMillis(1234);
    clock.set(sentAt);

    SendResult result = sending.sendStep(hook(lead));

    assertThat(result.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(result.sentAt()).isEqualTo(sentAt);
    assertThat(result.messageId()).startsWith("msg_");

    MimeMessage[] received = greenMail.getReceivedMessages();
    assertThat(received).hasSize(1);
    MimeMessage mail = received[0];
    assertThat(mail.getSubject()).isEqualTo("Quick idea for Smith & Sons");
    InternetAddress from = (InternetAddress) mail.getFrom()[0];
    assertThat(from.getAddress()).isEqualTo("ada@acme.test");
    assertThat(from.getPersonal()).isEqualTo("Ada Lovelace");
    assertThat(mail.getAllRecipients())
        .extracting(Object::toString)
        .containsExactly("grace@example.com");
    Map<String, String> parts = textParts(mail);
    assertThat(parts.get("text/plain"))
        .startsWith("Hi Grace,\nAn idea for Smith & Sons.\n\n--\nUnsubscribe: ")
        .contains("http://sequencer.test/unsubscribe/");
    assertThat(parts.get("text/html"))
        .startsWith("<html><body><p>Hi Grace,<br>An idea for Smith &amp; Sons.</p>")
        .contains("<a href=\"http://sequencer.test/unsubscribe/")
        .endsWith("</body></html>");
    // RFC 8058 one-click unsubscribe, to the same link as the one in the body.
    String unsubscribeUrl =
        parts.get("text/plain").substring(parts.get("text/plain").indexOf("http://")).trim();
    assertThat(mail.getHeader("List-Unsubscribe")[0])
        .startsWith("<" + unsubscribeUrl + ">, <mailto:ada@acme.test?subject=unsubscribe%20");
    assertThat(mail.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");

    Message message = messages.byIdempotencyKey(workflowId(lead) + ":0").orElseThrow();
    assertThat(message.id()).isEqualTo(result.messageId());
    assertThat(mail.getMessageID())
        .isEqualTo(message.providerMessageId())
        .isEqualTo("<" + message.id() + "@acme.test>");
    assertThat(message.status()).isEqualTo(MessageStatus.SENT);
    assertThat(message.sentAt()).isEqualTo(sentAt);
    assertThat(message.recipient()).isEqualTo("grace@example.com");
    assertThat(message.subject()).isEqualTo("Quick idea for Smith & Sons");
    assertThat(message.bodyText()).isEqualTo(parts.get("text/plain"));
    assertThat(message.stepType()).isEqualTo("hook");
    assertThat(message.variant()).isEqualTo("A");
    assertThat(message.channel()).isEqualTo("EMAIL");
    assertThat(message.dryRun()).isFalse();
    assertThat(message.segments()).isNull();

    LeadStep hook = leadSteps.of(lead.id()).get(0);
    assertThat(hook.status()).isEqualTo("sent");
    assertThat(hook.sentAt()).isEqualTo(sentAt);
    assertThat(hook.messageId()).isEqualTo(message.id());
    assertThat(hook.reason()).isNull();
    assertThat(leadSteps.of(lead.id()).subList(1, 3))
        .extracting(LeadStep::status)
        .containsExactly("scheduled", "scheduled");

    List<LeadEvent> events = timeline.of(lead.id());
    assertThat(events).hasSize(1);
    assertThat(events.get(0).event()).isEqualTo("sent");
    assertThat(events.get(0).step()).isEqualTo("hook");
    assertThat(events.get(0).at()).isEqualTo(sentAt);
    assertThat(events.get(0).detail())
        .contains("grace@example.com")
        .contains(message.providerMessageId());
    assertThat(
            jdbc.sql("select message_id from lead_events where lead_pk = ?")
                .param(lead.id())
                .query(String.class)
                .single())
        .isEqualTo(message.id());
    assertThat(quota.used(campaign.id(), LocalDate.parse("2027-02-10"))).isEqualTo(1);
  }

  @Test
  void eachMessageRecordsTheCopyRevisionItWasRenderedFrom() throws Exception {
    clock.set(WEDNESDAY_MORNING);
    Campaign campaign = fixtures().save(CampaignBuilder.email(fixtures().organization()).build());
    Lead lead = enrol(campaign, lead(campaign, "revised", "Rev", null, "UTC"));
    SendResult hook = sending.sendStep(hook(lead));
    // The copy of the proof changes after start (what a PATCH of copy does): revision 2.
    jdbc.sql("update campaigns set revision = 2 where id = ?").param(campaign.id()).update();
    jdbc.sql(
            "update campaign_steps set subject = 'Revised proof' where campaign_id = ? and lower(type) = 'proof'")
        .param(campaign.id())
        .update();

    SendResult proof =
        sending.sendStep(new SendRequest(workflowId(lead), lead.id(), 1, "proof", null));

    assertThat(messages.byId(hook.messageId()).orElseThrow().campaignRevision()).isEqualTo(1);
    Message revised = messages.byId(proof.messageId()).orElseThrow();
    assertThat(revised.campaignRevision()).isEqualTo(2);
    assertThat(revised.subject()).isEqualTo("Revised proof");
  }

  @Test
  void aRetriedSendSendsNothingAndAnswersTheSameMessage() {
    clock.set(WEDNESDAY_MORNING);
    Campaign campaign =
        fixtures().save(CampaignBuilder.email(fixtures().organization()).dailyLimit(10).build());
    Lead lead = enrol(campaign, lead(campaign, "alan", "Alan", "Bletchley", "UTC"));
    SendResult first = sending.sendStep(hook(lead));
    clock.set(WEDNESDAY_MORNING.plusSeconds(30));

    SendResult retry = sending.sendStep(hook(lead));

    assertThat(retry).isEqualTo(first);
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
    assertThat(messages.ofLead(lead.id())).hasSize(1);
    assertThat(timeline.of(lead.id())).extracting(LeadEvent::event).containsExactly("sent");
    assertThat(quota.used(campaign.id(), LocalDate.parse("2027-02-10"))).isEqualTo(1);
  }

  @Test
  void concurrentAttemptsOfOneStepSendOnceAndTakeOneQuotaUnit() throws Exception {
    clock.set(WEDNESDAY_MORNING);
    Campaign campaign =
        fixtures().save(CampaignBuilder.email(fixtures().organization()).dailyLimit(10).build());
    Lead lead = enrol(campaign, lead(campaign, "racy", "Racy", null, "UTC"));
    int attempts = 8;
    ExecutorService workers = Executors.newFixedThreadPool(attempts);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<SendResult>> results = new ArrayList<>();
    try {
      for (int i = 0; i < attempts; i++) {
        results.add(
            workers.submit(
                () -> {
                  go.await();
                  return sending.sendStep(hook(lead));
                }));
      }
      go.countDown();
      Set<String> messageIds = new HashSet<>();
      int waited = 0;
      for (Future<SendResult> result : results) {
        try {
          SendResult sent = result.get(30, TimeUnit.SECONDS);
          assertThat(sent.outcome()).isEqualTo(SendOutcome.SENT);
          messageIds.add(sent.messageId());
        } catch (java.util.concurrent.ExecutionException e) {
          // The step's attempts are serialised: one that finds another handing the message over
          // is retried by Temporal later, when it finds the outcome recorded.
          assertThat(e.getCause())
              .isInstanceOf(io.temporal.failure.ApplicationFailure.class)
              .hasMessageContaining("HandOverInProgress");
          waited++;
        }
      }
      if (waited > 0) {
        messageIds.add(sending.sendStep(hook(lead)).messageId());
      }

      assertThat(messageIds).hasSize(1);
      assertThat(greenMail.getReceivedMessages()).hasSize(1);
      assertThat(messages.ofLead(lead.id())).hasSize(1);
      assertThat(quota.used(campaign.id(), LocalDate.parse("2027-02-10"))).isEqualTo(1);
    } finally {
      workers.shutdownNow();
    }
  }

  @Test
  void rendersFallbacksAndTheVariantsOwnSteps() throws Exception {
    clock.set(WEDNESDAY_MORNING);
    Campaign campaign =
        fixtures()
            .save(
                CampaignBuilder.email(fixtures().organization())
                    .step(
                        "A",
                        StepType.HOOK,
                        0,
                        "Idea for {{company|your team}}",
                        "Hi {{first_name|there}}")
                    .step("A", StepType.PROOF, 3, "Proof", "Proof")
                    .step("A", StepType.FOMO, 7, "Last", "Last")
                    .step(
                        "B",
                        StepType.HOOK,
                        0,
                        "B idea for {{company|your team}}",
                        "Hey {{first_name|you}}, {{city|}}!")
                    .variant("B", 50)
                    .build());
    Lead plain = enrol(campaign, lead(campaign, "anon", null, null, "UTC"));
    Lead withAttributes =
        fixtures()
            .insert(
                withAttributes(
                    StoreFixtures.newLead(campaign, "b-lead", "Barbara", null),
                    "{\"city\": \"Boston\"}"));
    leadQueries.enrol(withAttributes.id(), LeadStatus.ACTIVE, "B", workflowId(withAttributes));
    planning.planSteps(PlanRequest.fromStart(withAttributes.id(), clock.instant()));

    sending.sendStep(hook(plain));
    sending.sendStep(hook(withAttributes));

    Map<String, MimeMessage> byRecipient = new HashMap<>();
    for (MimeMessage mail : greenMail.getReceivedMessages()) {
      byRecipient.put(mail.getAllRecipients()[0].toString(), mail);
    }
    MimeMessage a = byRecipient.get("anon@example.com");
    MimeMessage b = byRecipient.get("b-lead@example.com");
    assertThat(a.getSubject()).isEqualTo("Idea for your team");
    assertThat(textParts(a).get("text/plain")).startsWith("Hi there\n\n--\nUnsubscribe: ");
    assertThat(b.getSubject()).isEqualTo("B idea for Acme");
    assertThat(textParts(b).get("text/plain")).startsWith("Hey Barbara, Boston!\n\n--\n");
    assertThat(messages.ofLead(withAttributes.id()).get(0).variant()).isEqualTo("B");
  }

  @Test
  void anOptedOutLeadIsStoppedAndNotMessaged() {
    clock.set(WEDNESDAY_MORNING);
    Campaign campaign =
        fixtures().save(CampaignBuilder.email(fixtures().organization()).dailyLimit(10).build());
    Lead lead = enrol(campaign, lead(campaign, "gone", "Gone", null, "UTC"));
    suppressions.suppress(
        campaign.organizationId(), "EMAIL", "gone@example.com", "link", null, WEDNESDAY_MORNING);

    SendResult result = sending.sendStep(hook(lead));

    assertThat(result.outcome()).isEqualTo(SendOutcome.STOPPED);
    assertThat(result.reason()).isEqualTo("opted_out");
    assertThat(greenMail.getReceivedMessages()).isEmpty();
    assertThat(messages.ofLead(lead.id())).isEmpty();
    assertThat(leadSteps.of(lead.id()).get(0).status()).isEqualTo("scheduled");
    assertThat(quota.used(campaign.id(), LocalDate.parse("2027-02-10"))).isZero();
  }

  @Test
  void aFinishedLeadOrACancelledCampaignStopsTheSequence() {
    clock.set(WEDNESDAY_MORNING);
    Campaign campaign = fixtures().save(CampaignBuilder.email(fixtures().organization()).build());
    Lead replied = enrol(campaign, lead(campaign, "replied", "R", null, "UTC"));
    leadQueries.transition(replied.id(), LeadStatus.REPLIED);
    Campaign cancelled =
        fixtures()
            .save(
                CampaignBuilder.email(campaign.organizationId())
                    .status(CampaignStatus.CANCELLED)
                    .build());
    Lead inCancelled = enrol(cancelled, lead(cancelled, "late", "L", null, "UTC"));

    assertThat(sending.sendStep(hook(replied))).isEqualTo(SendResult.stopped(LeadEnding.REPLIED));
    assertThat(sending.sendStep(hook(inCancelled)))
        .isEqualTo(SendResult.stopped(LeadEnding.CANCELLED));
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void outsideTheWindowTheStepMovesToTheNextAllowedInstant() {
    // Friday 2027-01-15 15:00 in New York: planned inside the window.
    clock.set(Instant.parse("2027-01-15T20:00:00Z"));
    Campaign campaign =
        fixtures()
            .save(
                CampaignBuilder.email(fixtures().organization())
                    .weekdays("America/New_York", LocalTime.of(9, 0), LocalTime.of(17, 0), "US")
                    .dailyLimit(10)
                    .build());
    Lead lead = enrol(campaign, lead(campaign, "late", "Late", null, "America/New_York"));
    assertThat(leadSteps.of(lead.id()).get(0).scheduledAt()).isEqualTo(clock.instant());
    // The timer fires late, at 17:30: after the window, before a weekend and Martin Luther King
    // Day.
    clock.set(Instant.parse("2027-01-15T22:30:00Z"));

    SendResult result = sending.sendStep(hook(lead));

    Instant tuesdayNineAm = Instant.parse("2027-01-19T14:00:00Z");
    assertThat(result.outcome()).isEqualTo(SendOutcome.DEFERRED);
    assertThat(result.reason()).isEqualTo("outside_window");
    assertThat(result.retryAt()).isEqualTo(tuesdayNineAm);
    LeadStep hook = leadSteps.of(lead.id()).get(0);
    assertThat(hook.status()).isEqualTo("scheduled");
    assertThat(hook.scheduledAt()).isEqualTo(tuesdayNineAm);
    assertThat(hook.reason()).isEqualTo("outside_window");
    List<LeadEvent> events = timeline.of(lead.id());
    assertThat(events).extracting(LeadEvent::event).containsExactly("deferred");
    assertThat(events.get(0).detail())
        .contains("outside_window")
        .contains(tuesdayNineAm.toString());
    assertThat(greenMail.getReceivedMessages()).isEmpty();
    assertThat(messages.ofLead(lead.id())).isEmpty();
    assertThat(quota.used(campaign.id(), LocalDate.parse("2027-01-15"))).isZero();
  }

  @Test
  void whenTheDailyLimitIsReachedTheStepMovesToTheNextDay() throws Exception {
    // Wednesday 2027-02-10, 13:00 in New York (the campaign's day), 10:00 in Los Angeles.
    clock.set(Instant.parse("2027-02-10T18:00:00Z"));
    Campaign campaign =
        fixtures()
            .save(
                CampaignBuilder.email(fixtures().organization())
                    .weekdays("America/New_York", LocalTime.of(9, 0), LocalTime.of(17, 0), "US")
                    .dailyLimit(1)
                    .build());
    Lead first = enrol(campaign, lead(campaign, "first", "First", null, "America/New_York"));
    Lead second = enrol(campaign, lead(campaign, "second", "Second", null, "America/Los_Angeles"));

    SendResult sent = sending.sendStep(hook(first));
    SendResult deferred = sending.sendStep(hook(second));

    // The next New York day starts at 05:00Z; the second lead's window opens at 09:00 Los Angeles.
    Instant thursdayNineAmPacific = Instant.parse("2027-02-11T17:00:00Z");
    assertThat(sent.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(deferred.outcome()).isEqualTo(SendOutcome.DEFERRED);
    assertThat(deferred.reason()).isEqualTo("daily_limit");
    assertThat(deferred.retryAt()).isEqualTo(thursdayNineAmPacific);
    LeadStep hook = leadSteps.of(second.id()).get(0);
    assertThat(hook.scheduledAt()).isEqualTo(thursdayNineAmPacific);
    assertThat(hook.reason()).isEqualTo("daily_limit");
    assertThat(hook.status()).isEqualTo("scheduled");
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
    assertThat(greenMail.getReceivedMessages()[0].getAllRecipients()[0].toString())
        .isEqualTo("first@example.com");
    assertThat(messages.ofLead(second.id())).isEmpty();
    assertThat(quota.used(campaign.id(), LocalDate.parse("2027-02-10"))).isEqualTo(1);
    // The deferred step holds Thursday's unit, so it wakes once, at its slot, and sends.
    assertThat(quota.used(campaign.id(), LocalDate.parse("2027-02-11"))).isEqualTo(1);
    clock.set(thursdayNineAmPacific);
    SendResult atItsSlot =
        sending.sendStep(
            new SendRequest(workflowId(second), second.id(), 0, "hook", thursdayNineAmPacific));
    assertThat(atItsSlot.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(quota.used(campaign.id(), LocalDate.parse("2027-02-11"))).isEqualTo(1);
  }

  @Test
  void aRecipientRefusedWith5xxFailsTheStepForGood() {
    clock.set(WEDNESDAY_MORNING);
    Campaign campaign =
        fixtures().save(CampaignBuilder.email(fixtures().organization()).dailyLimit(10).build());
    Lead lead = enrol(campaign, lead(campaign, "nobody", "Nobody", null, "UTC"));

    try (RefusingSmtpServer refusing = new RefusingSmtpServer()) {
      SendActivitiesImpl throughRefusingRelay = sendingThrough(refusing.port());

      SendResult result = throughRefusingRelay.sendStep(hook(lead));
      int commandsSeen = refusing.commands().size();
      SendResult retry = throughRefusingRelay.sendStep(hook(lead));

      assertThat(refusing.commands()).contains("RCPT TO:<nobody@example.com>");
      assertThat(result.outcome()).isEqualTo(SendOutcome.FAILED);
      assertThat(result.reason()).isEqualTo("smtp_rejected");
      assertThat(retry).isEqualTo(result);
      assertThat(refusing.commands()).hasSize(commandsSeen);
    }
    Message message = messages.ofLead(lead.id()).get(0);
    assertThat(message.status()).isEqualTo(MessageStatus.FAILED);
    assertThat(message.errorCode()).isEqualTo("smtp_rejected");
    assertThat(message.errorMessage()).contains("550");
    assertThat(message.sentAt()).isNull();
    LeadStep hook = leadSteps.of(lead.id()).get(0);
    assertThat(hook.status()).isEqualTo("failed");
    assertThat(hook.reason()).isEqualTo("smtp_rejected");
    assertThat(hook.sentAt()).isNull();
    assertThat(timeline.of(lead.id())).extracting(LeadEvent::event).containsExactly("failed");
    assertThat(quota.used(campaign.id(), LocalDate.parse("2027-02-10"))).isZero();
  }

  @Test
  void whenTheRelayIsDownTheAttemptStaysCommittedAndTheRetrySendsThatSameMessage()
      throws Exception {
    clock.set(WEDNESDAY_MORNING);
    Campaign campaign =
        fixtures().save(CampaignBuilder.email(fixtures().organization()).dailyLimit(10).build());
    Lead lead = enrol(campaign, lead(campaign, "later", "Later", null, "UTC"));
    SendActivitiesImpl throughDeadRelay = sendingThrough(freePort());

    assertThatThrownBy(() -> throughDeadRelay.sendStep(hook(lead)))
        .isInstanceOf(RuntimeException.class)
        .isNotInstanceOf(PermanentSendFailure.class);

    // The attempt was committed before the hand-over: content, Message-ID and the day's unit.
    Message attempt = messages.byIdempotencyKey(workflowId(lead) + ":0").orElseThrow();
    assertThat(attempt.status()).isEqualTo(MessageStatus.SENDING);
    assertThat(attempt.quotaDay()).isEqualTo(LocalDate.parse("2027-02-10"));
    assertThat(quota.used(campaign.id(), LocalDate.parse("2027-02-10"))).isEqualTo(1);
    LeadStep hook = leadSteps.of(lead.id()).get(0);
    assertThat(hook.status()).isEqualTo("scheduled");
    assertThat(hook.sentAt()).isNull();
    assertThat(timeline.of(lead.id())).isEmpty();

    // Temporal's retry, once the relay is back, hands over the same message, once.
    SendResult retried = sending.sendStep(hook(lead));

    assertThat(retried.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(retried.messageId()).isEqualTo(attempt.id());
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
    assertThat(greenMail.getReceivedMessages()[0].getMessageID())
        .isEqualTo("<" + attempt.id() + "@acme.test>");
    assertThat(quota.used(campaign.id(), LocalDate.parse("2027-02-10"))).isEqualTo(1);
    assertThat(leadSteps.of(lead.id()).get(0).status()).isEqualTo("sent");
    assertThat(timeline.of(lead.id())).extracting(LeadEvent::event).containsExactly("sent");
  }

  @Test
  void aFailureToRecordASentMessageNeverLetsTheRetrySendItAgain() throws Exception {
    clock.set(WEDNESDAY_MORNING);
    Campaign campaign =
        fixtures().save(CampaignBuilder.email(fixtures().organization()).dailyLimit(10).build());
    Lead lead = enrol(campaign, lead(campaign, "once", "Once", null, "UTC"));
    // The message goes out, then the database fails while recording it (injected: PostgreSQL
    // cannot be made to fail on one statement on demand).
    Messages failingToRecord =
        new Messages(jdbc) {
          @Override
          public boolean markSent(String id, String providerMessageId, Instant sentAt) {
            throw new DataAccessResourceFailureException("connection lost");
          }
        };
    SendActivitiesImpl recordingFails =
        assemble(failingToRecord, context.getBean(EmailSender.class));

    assertThatThrownBy(() -> recordingFails.sendStep(hook(lead)))
        .isInstanceOf(DataAccessResourceFailureException.class);
    SendResult retry = sending.sendStep(hook(lead));

    // The retry cannot know whether the first hand-over got through: it hands over the same
    // message again — one Message-ID, which the recipient's mail client shows once.
    assertThat(retry.outcome()).isEqualTo(SendOutcome.SENT);
    Message message = messages.ofLead(lead.id()).get(0);
    assertThat(messages.ofLead(lead.id())).hasSize(1);
    assertThat(retry.messageId()).isEqualTo(message.id());
    assertThat(greenMail.getReceivedMessages())
        .extracting(MimeMessage::getMessageID)
        .containsOnly("<" + message.id() + "@acme.test>");
    assertThat(quota.used(campaign.id(), LocalDate.parse("2027-02-10"))).isEqualTo(1);
    // Everything the first attempt would have recorded, recorded once.
    assertThat(message.status()).isEqualTo(MessageStatus.SENT);
    assertThat(leadSteps.of(lead.id()).get(0).status()).isEqualTo("sent");
    assertThat(timeline.of(lead.id())).extracting(LeadEvent::event).containsExactly("sent");
  }

  @Test
  void smsWithoutTwilioCredentialsIsRecordedAsADryRun() {
    clock.set(WEDNESDAY_MORNING);
    String longBody = "Hi {{first_name|there}}, " + "a".repeat(170);
    Campaign campaign =
        fixtures()
            .save(
                CampaignBuilder.sms(fixtures().organization())
                    .step("A", StepType.HOOK, 0, null, longBody)
                    .step("A", StepType.PROOF, 3, null, "Proof")
                    .step("A", StepType.FOMO, 7, null, "Last")
                    .build());
    Lead lead =
        enrol(
            campaign,
            fixtures().insert(StoreFixtures.newLead(campaign, "texted", "Tex", "+14155550100")));

    SendResult result = sending.sendStep(hook(lead));

    assertThat(sms).isInstanceOf(DryRunSmsSender.class);
    assertThat(result.outcome()).isEqualTo(SendOutcome.SENT);
    Message message = messages.ofLead(lead.id()).get(0);
    assertThat(message.id()).isEqualTo(result.messageId());
    assertThat(message.channel()).isEqualTo("SMS");
    assertThat(message.dryRun()).isTrue();
    assertThat(message.segments()).isEqualTo(2);
    assertThat(message.recipient()).isEqualTo("+14155550100");
    assertThat(message.bodyText()).isEqualTo("Hi Tex, " + "a".repeat(170));
    assertThat(message.subject()).isNull();
    assertThat(message.bodyHtml()).isNull();
    assertThat(message.status()).isEqualTo(MessageStatus.SENT);
    assertThat(message.providerMessageId()).startsWith("dryrun-");
    assertThat(leadSteps.of(lead.id()).get(0).status()).isEqualTo("sent");
    assertThat(timeline.of(lead.id()).get(0).detail()).startsWith("dry run");
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void smsKeepsToTheQuietHours() {
    // 22:00 UTC: inside the campaign's whole-day window, but after 21:00 lead local time.
    clock.set(Instant.parse("2027-02-10T22:00:00Z"));
    Campaign campaign = fixtures().save(CampaignBuilder.sms(fixtures().organization()).build());
    Lead lead =
        enrol(
            campaign,
            fixtures().insert(StoreFixtures.newLead(campaign, "night", "Owl", "+14155550101")));

    SendResult result = sending.sendStep(hook(lead));

    assertThat(result.outcome()).isEqualTo(SendOutcome.DEFERRED);
    assertThat(result.reason()).isEqualTo("outside_window");
    assertThat(result.retryAt()).isEqualTo(Instant.parse("2027-02-11T08:00:00Z"));
    assertThat(messages.ofLead(lead.id())).isEmpty();
  }

  @Test
  void finishSequenceEndsTheLeadAndItsRemainingSteps() {
    clock.set(WEDNESDAY_MORNING);
    Campaign campaign = fixtures().save(CampaignBuilder.email(fixtures().organization()).build());
    Lead replied = enrol(campaign, lead(campaign, "yes", "Yes", null, "UTC"));
    Lead cancelled = enrol(campaign, lead(campaign, "stop", "Stop", null, "UTC"));
    sending.sendStep(hook(replied));

    sending.finishSequence(replied.id(), new LeadOutcome(LeadEnding.REPLIED, "replied"));
    sending.finishSequence(
        cancelled.id(), new LeadOutcome(LeadEnding.CANCELLED, "campaign cancelled"));

    assertThat(leads.findById(replied.id()).orElseThrow().status()).isEqualTo(LeadStatus.REPLIED);
    assertThat(leadSteps.of(replied.id()))
        .extracting(LeadStep::status, LeadStep::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("sent", null),
            org.assertj.core.groups.Tuple.tuple("skipped", "replied"),
            org.assertj.core.groups.Tuple.tuple("skipped", "replied"));
    assertThat(timeline.of(replied.id()))
        .extracting(LeadEvent::event)
        .containsExactly("sent", "replied");
    assertThat(leads.findById(cancelled.id()).orElseThrow().status())
        .isEqualTo(LeadStatus.CANCELLED);
    assertThat(leadSteps.of(cancelled.id()))
        .extracting(LeadStep::status)
        .containsExactly("cancelled", "cancelled", "cancelled");
  }

  @Test
  void aSequenceWhoseSendRetriesRanOutEndsFailedAtThatStepAndItsAttemptUnconfirmed() {
    clock.set(WEDNESDAY_MORNING);
    Campaign campaign = fixtures().save(CampaignBuilder.email(fixtures().organization()).build());
    Lead lead = enrol(campaign, lead(campaign, "gaveup", "Gave", null, "UTC"));
    SendActivitiesImpl throughDeadRelay = sendingThrough(freePort());
    assertThatThrownBy(() -> throughDeadRelay.sendStep(hook(lead)))
        .isInstanceOf(RuntimeException.class);

    // What the workflow records when Temporal's retries of that send have run out.
    sending.finishSequence(
        lead.id(),
        new LeadOutcome(LeadEnding.FAILED, "failed: MailSendException (relay unreachable)", 0));

    assertThat(leads.findById(lead.id()).orElseThrow().status()).isEqualTo(LeadStatus.FAILED);
    assertThat(leadSteps.of(lead.id()))
        .extracting(LeadStep::status, LeadStep::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "failed", "failed: MailSendException (relay unreachable)"),
            org.assertj.core.groups.Tuple.tuple("skipped", "failed"),
            org.assertj.core.groups.Tuple.tuple("skipped", "failed"));
    // Nothing is left waiting for a retry that will never come.
    assertThat(messages.ofLead(lead.id()))
        .extracting(Message::status)
        .containsExactly(MessageStatus.UNCONFIRMED);
    assertThat(timeline.of(lead.id())).extracting(LeadEvent::event).containsExactly("failed");
  }

  // --- helpers ---

  private Lead lead(
      Campaign campaign, String leadId, String firstName, String company, String zone) {
    Lead lead = StoreFixtures.newLead(campaign, leadId, firstName, null);
    return fixtures()
        .insert(
            new Lead(
                null,
                lead.organizationId(),
                lead.campaignId(),
                lead.leadId(),
                lead.email(),
                lead.phone(),
                firstName,
                lead.lastName(),
                company,
                lead.title(),
                zone,
                lead.attributes(),
                lead.status(),
                null,
                null,
                lead.createdAt(),
                lead.updatedAt(),
                null));
  }

  private static Lead withAttributes(Lead lead, String attributes) {
    return new Lead(
        lead.id(),
        lead.organizationId(),
        lead.campaignId(),
        lead.leadId(),
        lead.email(),
        lead.phone(),
        lead.firstName(),
        lead.lastName(),
        lead.company(),
        lead.title(),
        lead.timezone(),
        attributes,
        lead.status(),
        lead.variant(),
        lead.workflowId(),
        lead.createdAt(),
        lead.updatedAt(),
        null);
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

  /** The send activity as the worker builds it, but with its mail going to {@code smtpPort}. */
  private SendActivitiesImpl sendingThrough(int smtpPort) {
    return assemble(messages, new EmailSender(TestRelays.serviceRelay(smtpPort)));
  }

  /** The send activity as the worker builds it, from the given store of messages and relay. */
  private SendActivitiesImpl assemble(Messages messages, EmailSender relay) {
    SendLimits limits = context.getBean(SendLimits.class);
    return new SendActivitiesImpl(
        campaigns,
        leads,
        leadQueries,
        leadSteps,
        timeline,
        messages,
        context.getBean(MessageLinks.class),
        context.getBean(Consent.class),
        limits,
        context.getBean(SlotCalendar.class),
        context.getBean(MessageRenderer.class),
        new ProviderHandOver(
            relay,
            sms,
            context.getBean(EmailComposer.class),
            properties,
            context.getBean(dev.sequencer.activities.webhook.WebhookChannel.class),
            context.getBean(dev.sequencer.store.inbox.InboxMessages.class)),
        new SendRecords(
            messages,
            leadSteps,
            timeline,
            limits,
            transaction,
            context.getBean(dev.sequencer.store.health.AutoPauses.class)),
        transaction,
        context.getBean(SendMetrics.class),
        clock,
        context.getBean(dev.sequencer.store.sender.Senders.class),
        context.getBean(dev.sequencer.store.generation.LeadGenerations.class),
        context.getBean(ChannelRouting.class));
  }

  /** The text/plain and text/html parts of a message, with line ends as \n. */
  private static Map<String, String> textParts(Part part) throws Exception {
    Map<String, String> parts = new HashMap<>();
    collect(part, parts);
    return parts;
  }

  private static void collect(Part part, Map<String, String> parts) throws Exception {
    if (part.isMimeType("multipart/*")) {
      Multipart multipart = (Multipart) part.getContent();
      for (int i = 0; i < multipart.getCount(); i++) {
        collect(multipart.getBodyPart(i), parts);
      }
    } else if (part.isMimeType("text/plain") || part.isMimeType("text/html")) {
      String type = part.isMimeType("text/plain") ? "text/plain" : "text/html";
      parts.put(type, ((String) part.getContent()).replace("\r\n", "\n"));
    }
  }
}
