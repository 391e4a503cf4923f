package dev.sequencer.store.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.Ids;
import dev.sequencer.store.campaign.AutoPause;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.message.Message;
import dev.sequencer.store.message.MessageStatus;
import dev.sequencer.store.sender.RegisteredSender;
import dev.sequencer.store.sender.SenderStatus;
import dev.sequencer.store.sender.Senders;
import dev.sequencer.store.testing.CampaignBuilder;
import dev.sequencer.storetest.StoreIntegrationTest;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Auto-pause decides on the event that takes a rate to its threshold: the expected rates and
 * sentences below are worked out by hand from the counts each test makes.
 */
class AutoPausesTest extends StoreIntegrationTest {

  private static final Instant AT = Instant.parse("2027-03-01T10:00:00Z");

  @Autowired AutoPauses autoPauses;
  @Autowired SendHealth health;
  @Autowired Senders senders;

  @Test
  void bouncesBeforeTheMinimumWaitForTheSendThatReachesIt() {
    Campaign campaign = running(new AutoPause(true, 0.02, 0.001, 20));
    Lead lead = activeLead(campaign);
    sends(campaign, null, 19);
    // 1 of 19: above 2 %, but fewer than 20 went out, so nothing is judged yet.
    assertThat(autoPauses.bounced(message(campaign, null), AT).campaignPaused()).isNull();
    assertThat(status(campaign)).isEqualTo(CampaignStatus.RUNNING);

    AutoPauses.Verdict twentieth = autoPauses.sent(campaign, null, AT);

    // 1 of 20 = 5 %.
    assertThat(twentieth.campaignPaused())
        .isEqualTo("bounce rate 5 % (1 of 20 sent) reached the threshold of 2 %");
    Campaign paused = campaigns.findById(campaign.id()).orElseThrow();
    assertThat(paused.status()).isEqualTo(CampaignStatus.PAUSED);
    assertThat(paused.pauseReason())
        .isEqualTo("auto-paused: bounce rate 5 % (1 of 20 sent) reached the threshold of 2 %");
    assertThat(leads.findById(lead.id()).orElseThrow().status()).isEqualTo(LeadStatus.PAUSED);
    // Later sends do not judge again: only bounces and complaints raise a rate.
    assertThat(autoPauses.sent(campaign, null, AT).campaignPaused()).isNull();
  }

  @Test
  void theBounceThatReachesTheThresholdPausesAndNoneBefore() {
    Campaign campaign = running(new AutoPause(true, 0.10, 0.001, 20));
    sends(campaign, null, 30);

    // 1/30 = 3.33 %, 2/30 = 6.67 %: below 10 %.
    assertThat(autoPauses.bounced(message(campaign, null), AT).campaignPaused()).isNull();
    assertThat(autoPauses.bounced(message(campaign, null), AT).campaignPaused()).isNull();
    assertThat(status(campaign)).isEqualTo(CampaignStatus.RUNNING);
    // 3/30 = 10 %: the threshold itself pauses.
    assertThat(autoPauses.bounced(message(campaign, null), AT).campaignPaused())
        .isEqualTo("bounce rate 10 % (3 of 30 sent) reached the threshold of 10 %");
    assertThat(status(campaign)).isEqualTo(CampaignStatus.PAUSED);
  }

  @Test
  void aMessageReportedTwiceCountsOnce() {
    Campaign campaign = running(new AutoPause(true, 0.10, 0.001, 20));
    sends(campaign, null, 20);
    Message bounced = message(campaign, null);

    autoPauses.bounced(bounced, AT);
    autoPauses.bounced(bounced, AT);

    // 1 of 20 = 5 %: below 10 %; counted twice it would be 10 % and pause.
    assertThat(health.of(campaign.id())).isEqualTo(new SendHealth.Totals(20, 1, 0));
    assertThat(status(campaign)).isEqualTo(CampaignStatus.RUNNING);
  }

  @Test
  void oneComplaintInTwentyPassesTheComplaintThreshold() {
    Campaign campaign = running(AutoPause.defaults());
    sends(campaign, null, 20);

    assertThat(autoPauses.complained(message(campaign, null), AT).campaignPaused())
        .isEqualTo("complaint rate 5 % (1 of 20 sent) reached the threshold of 0.1 %");
    assertThat(status(campaign)).isEqualTo(CampaignStatus.PAUSED);
  }

  @Test
  void aCampaignWithAutoPauseOffNeverPausesItself() {
    Campaign campaign = running(AutoPause.off());
    sends(campaign, null, 20);

    for (int i = 0; i < 10; i++) {
      autoPauses.bounced(message(campaign, null), AT);
    }

    assertThat(status(campaign)).isEqualTo(CampaignStatus.RUNNING);
  }

  @Test
  void aSenderIsJudgedAcrossItsCampaigns() {
    Campaign first = running(AutoPause.defaults());
    Campaign second =
        campaigns.save(
            CampaignBuilder.email(first.organizationId()).status(CampaignStatus.RUNNING).build());
    RegisteredSender sender =
        ((Senders.Registration.Owned)
                senders.register(
                    first.organizationId(),
                    Channel.EMAIL,
                    "pool-" + Ids.next("x").toLowerCase() + "@acme.test",
                    "Pool",
                    "api"))
            .sender();
    sends(first, sender.id(), 10);
    sends(second, sender.id(), 10);

    // The sender: 1 of 20 = 5 %, at least 2 %; each campaign sent 10, below its minimum of 20.
    AutoPauses.Verdict verdict = autoPauses.bounced(message(first, sender.id()), AT);

    assertThat(verdict.campaignPaused()).isNull();
    assertThat(verdict.senderPaused())
        .isEqualTo("bounce rate 5 % (1 of 20 sent) reached the threshold of 2 %");
    RegisteredSender paused = senders.byId(sender.id()).orElseThrow();
    assertThat(paused.status()).isEqualTo(SenderStatus.PAUSED);
    assertThat(paused.pausedBy()).isEqualTo("auto");
    assertThat(status(first)).isEqualTo(CampaignStatus.RUNNING);
    assertThat(status(second)).isEqualTo(CampaignStatus.RUNNING);
  }

  private Campaign running(AutoPause autoPause) {
    return campaigns.save(
        CampaignBuilder.email(fixtures().organization())
            .status(CampaignStatus.RUNNING)
            .autoPause(autoPause)
            .build());
  }

  private Lead activeLead(Campaign campaign) {
    Lead lead = fixtures().lead(campaign, "lead-" + Ids.next("l"), "Ann");
    jdbc.sql("update leads set status = 'ACTIVE' where id = ?").param(lead.id()).update();
    return lead;
  }

  private void sends(Campaign campaign, String senderId, int count) {
    for (int i = 0; i < count; i++) {
      autoPauses.sent(campaign, senderId, AT);
    }
  }

  private CampaignStatus status(Campaign campaign) {
    return campaigns.findById(campaign.id()).orElseThrow().status();
  }

  /** A message of the campaign as the reports name it: only its ids matter here. */
  private static Message message(Campaign campaign, String senderId) {
    return new Message(
        Ids.next("msg"),
        campaign.organizationId(),
        campaign.id(),
        0,
        "hook",
        "A",
        "EMAIL",
        Ids.next("key"),
        "someone@example.com",
        "Idea",
        "Hi",
        null,
        null,
        MessageStatus.SENT,
        false,
        null,
        null,
        null,
        AT,
        AT,
        1,
        null,
        null,
        null,
        senderId,
        null);
  }
}
