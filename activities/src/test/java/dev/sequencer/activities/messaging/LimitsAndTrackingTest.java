package dev.sequencer.activities.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.sequencer.activities.planning.PlanningActivitiesImpl;
import dev.sequencer.activitiestest.ActivitiesIntegrationTest;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.Limits;
import dev.sequencer.store.campaign.StepType;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.message.MessageLinks;
import dev.sequencer.store.testing.CampaignBuilder;
import dev.sequencer.workflows.lead.PlanRequest;
import dev.sequencer.workflows.lead.SendOutcome;
import dev.sequencer.workflows.lead.SendRequest;
import dev.sequencer.workflows.lead.SendResult;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;

/** The per-minute limit, and link tracking switched on and off per campaign. */
class LimitsAndTrackingTest extends ActivitiesIntegrationTest {

  @RegisterExtension
  static final GreenMailExtension greenMail =
      new GreenMailExtension(ServerSetupTest.SMTP.port(SMTP_PORT));

  private static final Instant NOW = Instant.parse("2027-02-10T15:00:20Z");
  private static final String BODY =
      "Hi!\nThe numbers: https://acme.test/case?id=7&x=1 — have a look.";

  @Autowired SendActivitiesImpl sending;
  @Autowired PlanningActivitiesImpl planning;
  @Autowired LeadQueries leadQueries;
  @Autowired MessageLinks links;

  @Test
  void thePerMinuteLimitMovesTheThirdSendToTheNextMinute() {
    clock.set(NOW);
    Campaign campaign =
        fixtures()
            .save(
                CampaignBuilder.email(fixtures().organization())
                    .limits(new Limits(null, 2, null))
                    .build());
    SendResult first = sending.sendStep(hook(enrol(campaign, "m1")));
    SendResult second = sending.sendStep(hook(enrol(campaign, "m2")));
    SendResult third = sending.sendStep(hook(enrol(campaign, "m3")));

    assertThat(first.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(second.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(third.outcome()).isEqualTo(SendOutcome.DEFERRED);
    assertThat(third.reason()).isEqualTo("per_minute");
    assertThat(third.retryAt()).isEqualTo(Instant.parse("2027-02-10T15:01:00Z"));
    assertThat(greenMail.getReceivedMessages()).hasSize(2);

    clock.set(third.retryAt());
    Lead waiting = leadQueries.lock(campaign.id(), "m3").orElseThrow();
    assertThat(sending.sendStep(hook(waiting)).outcome()).isEqualTo(SendOutcome.SENT);
  }

  @Test
  void theFrequencyCapDefersAMessageToAnAddressAnotherCampaignJustMessaged() {
    clock.set(NOW);
    // The first campaign is capped too: with nothing sent before, its send goes out.
    Campaign first =
        fixtures()
            .save(
                CampaignBuilder.email(fixtures().organization())
                    .limits(new Limits(null, null, 7))
                    .build());
    Campaign second =
        fixtures()
            .save(
                CampaignBuilder.email(first.organizationId())
                    .limits(new Limits(null, null, 7))
                    .build());
    Lead inFirst = enrol(first, "capped-a");
    Lead inSecond = enrol(second, "capped-b");
    jdbc.sql("update leads set email = 'same.person@example.com' where id in (?, ?)")
        .params(inFirst.id(), inSecond.id())
        .update();

    assertThat(sending.sendStep(hook(inFirst)).outcome()).isEqualTo(SendOutcome.SENT);
    SendResult capped = sending.sendStep(hook(inSecond));

    assertThat(capped.outcome()).isEqualTo(SendOutcome.DEFERRED);
    assertThat(capped.reason()).isEqualTo("frequency_cap");
    assertThat(capped.retryAt()).isEqualTo(NOW.plus(java.time.Duration.ofDays(7)));
    // Its own earlier steps do not count against a lead: the proof of the first lead may go.
    clock.set(NOW.plus(java.time.Duration.ofDays(3)));
    assertThat(
            sending
                .sendStep(
                    new SendRequest(
                        "lead-" + first.id() + "-capped-a", inFirst.id(), 1, "proof", null))
                .outcome())
        .isEqualTo(SendOutcome.SENT);
  }

  @Test
  void campaignsRacingToOneCappedAddressSendItOneMessage() throws Exception {
    clock.set(NOW);
    int racers = 6;
    List<Lead> sameAddress = new java.util.ArrayList<>();
    String organization = fixtures().organization();
    for (int i = 0; i < racers; i++) {
      Campaign campaign =
          fixtures()
              .save(CampaignBuilder.email(organization).limits(new Limits(null, null, 7)).build());
      Lead lead = enrol(campaign, "racer-" + i);
      jdbc.sql("update leads set email = 'contested@example.com' where id = ?")
          .param(lead.id())
          .update();
      sameAddress.add(lead);
    }
    java.util.concurrent.ExecutorService threads =
        java.util.concurrent.Executors.newFixedThreadPool(racers);
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    try {
      List<java.util.concurrent.Future<SendResult>> results = new java.util.ArrayList<>();
      for (Lead lead : sameAddress) {
        results.add(
            threads.submit(
                () -> {
                  go.await();
                  return sending.sendStep(hook(lead));
                }));
      }
      go.countDown();
      List<SendOutcome> outcomes = new java.util.ArrayList<>();
      for (var result : results) {
        SendResult answer = result.get(30, java.util.concurrent.TimeUnit.SECONDS);
        outcomes.add(answer.outcome());
        if (answer.outcome() == SendOutcome.DEFERRED) {
          assertThat(answer.reason()).isEqualTo("frequency_cap");
        }
      }

      // The recipient lock makes the cap one decision at a time: one campaign sends, the others
      // see its attempt (committed before its hand-over) and wait out the cap.
      assertThat(outcomes).containsOnlyOnce(SendOutcome.SENT);
      assertThat(greenMail.getReceivedMessages()).hasSize(1);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void trackedLinksPointAtTheClickEndpointAndTheOriginalsAreKept() throws Exception {
    clock.set(NOW);
    Campaign campaign = fixtures().save(withBody(CampaignBuilder.email(fixtures().organization())));
    SendResult sent = sending.sendStep(hook(enrol(campaign, "tracked")));

    String html = html(greenMail.getReceivedMessages()[0]);
    assertThat(html).contains("href=\"http://sequencer.test/t/c/");
    assertThat(html).doesNotContain("href=\"https://acme.test/case");
    assertThat(html).contains("<img src=\"http://sequencer.test/t/o/");
    assertThat(links.link(sent.messageId(), 0)).contains("https://acme.test/case?id=7&x=1");
    assertThat(links.link(sent.messageId(), 1)).isEmpty();
  }

  @Test
  void withoutTrackingLinksStayAsTheyAreAndThereIsNoPixel() throws Exception {
    clock.set(NOW);
    Campaign campaign =
        fixtures()
            .save(withBody(CampaignBuilder.email(fixtures().organization()).trackLinks(false)));
    SendResult sent = sending.sendStep(hook(enrol(campaign, "untracked")));

    String html = html(greenMail.getReceivedMessages()[0]);
    assertThat(html).contains("href=\"https://acme.test/case?id=7&amp;x=1\"");
    assertThat(html).doesNotContain("/t/c/").doesNotContain("/t/o/");
    // The unsubscribe link is there with or without tracking.
    assertThat(html).contains("href=\"http://sequencer.test/unsubscribe/");
    assertThat(links.link(sent.messageId(), 0)).isEmpty();
  }

  private static Campaign withBody(CampaignBuilder builder) {
    return builder
        .step("A", StepType.HOOK, 0, "Numbers", BODY)
        .step("A", StepType.PROOF, 3, "Proof", "Proof")
        .build();
  }

  private Lead enrol(Campaign campaign, String leadId) {
    Lead lead = fixtures().lead(campaign, leadId, "Lee");
    leadQueries.enrol(lead.id(), LeadStatus.ACTIVE, "A", "lead-" + campaign.id() + "-" + leadId);
    planning.planSteps(PlanRequest.fromStart(lead.id(), clock.instant()));
    return lead;
  }

  private static SendRequest hook(Lead lead) {
    return new SendRequest(
        "lead-" + lead.campaignId() + "-" + lead.leadId(), lead.id(), 0, "hook", null);
  }

  private static String html(MimeMessage mail) throws Exception {
    MimeMultipart root = (MimeMultipart) mail.getContent();
    return find(root);
  }

  private static String find(MimeMultipart multipart) throws Exception {
    for (int i = 0; i < multipart.getCount(); i++) {
      var part = multipart.getBodyPart(i);
      if (part.getContent() instanceof MimeMultipart nested) {
        String html = find(nested);
        if (html != null) {
          return html;
        }
      } else if (part.isMimeType("text/html")) {
        return String.valueOf(part.getContent());
      }
    }
    return null;
  }
}
