package dev.sequencer.store.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.Ids;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.storetest.StoreIntegrationTest;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class MessagesTest extends StoreIntegrationTest {

  private static final Instant CREATED = Instant.parse("2027-02-10T14:00:00.123456Z");
  private static final Instant SENT = Instant.parse("2027-02-10T14:00:01.5Z");
  private static final Instant LEASE_END = Instant.parse("2027-02-10T14:02:00Z");
  private static final Instant LATER = Instant.parse("2027-02-10T14:10:00Z");

  @Autowired Messages messages;

  private Campaign campaign;
  private Lead lead;

  @BeforeEach
  void lead() {
    campaign = fixtures().emailCampaign();
    lead = fixtures().lead(campaign, "crm-1", "Grace");
  }

  private Message attempt(String key) {
    return new Message(
        Ids.next("msg"),
        campaign.organizationId(),
        campaign.id(),
        lead.id(),
        "hook",
        "A",
        "EMAIL",
        key,
        lead.email(),
        "Quick idea",
        "Hi Grace",
        "<p>Hi Grace</p>",
        null,
        MessageStatus.SENDING,
        false,
        null,
        null,
        null,
        CREATED,
        null,
        3,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void beginIsIdempotentByKey() {
    String key = "lead-" + campaign.id() + "-crm-1:0";
    Message first = attempt(key);
    Message retry = attempt(key);

    assertThat(messages.begin(first, LEASE_END)).isTrue();
    assertThat(messages.begin(retry, LEASE_END)).isFalse();

    Message stored = messages.byIdempotencyKey(key).orElseThrow();
    assertThat(stored).isEqualTo(first);
    assertThat(messages.ofLead(lead.id())).containsExactly(first);
    assertThat(messages.byIdempotencyKey(key + "x")).isEmpty();
  }

  @Test
  void markSentRecordsTheProviderIdAndTime() {
    Message message = attempt("k-sent-" + campaign.id());
    messages.begin(message, LEASE_END);

    messages.markSent(message.id(), "<abc@acme.test>", SENT);

    Message stored = messages.byIdempotencyKey(message.idempotencyKey()).orElseThrow();
    assertThat(stored.status()).isEqualTo(MessageStatus.SENT);
    assertThat(stored.providerMessageId()).isEqualTo("<abc@acme.test>");
    assertThat(stored.sentAt()).isEqualTo(SENT);
    assertThat(stored.bodyText()).isEqualTo("Hi Grace");

    // A second record of the same hand-over changes nothing.
    assertThat(messages.markSent(message.id(), null, SENT.plusSeconds(1))).isFalse();
    Message again = messages.byIdempotencyKey(message.idempotencyKey()).orElseThrow();
    assertThat(again.providerMessageId()).isEqualTo("<abc@acme.test>");
    assertThat(again.sentAt()).isEqualTo(SENT);
  }

  @Test
  void markFailedRecordsTheError() {
    Message message = attempt("k-failed-" + campaign.id());
    messages.begin(message, LEASE_END);

    messages.markFailed(message.id(), "smtp_rejected", "550 5.1.1 no such user");

    Message stored = messages.byIdempotencyKey(message.idempotencyKey()).orElseThrow();
    assertThat(stored.status()).isEqualTo(MessageStatus.FAILED);
    assertThat(stored.errorCode()).isEqualTo("smtp_rejected");
    assertThat(stored.errorMessage()).isEqualTo("550 5.1.1 no such user");
    assertThat(stored.sentAt()).isNull();
  }

  @Test
  void onlyOneAttemptAtATimeHoldsTheHandOverAndItsLeaseRunsOut() {
    Message sending = attempt("k-lease-" + campaign.id());
    messages.begin(sending, LEASE_END);

    // The first attempt holds the hand-over until its lease ends.
    assertThat(messages.claimHandOver(sending.id(), LEASE_END.minusSeconds(1), LATER)).isFalse();
    assertThat(messages.claimHandOver(sending.id(), LEASE_END, LATER)).isTrue();
    assertThat(messages.claimHandOver(sending.id(), LEASE_END.plusSeconds(5), LATER)).isFalse();

    // An attempt that failed without an outcome lets the next one take over at once.
    messages.releaseHandOver(sending.id());
    assertThat(messages.claimHandOver(sending.id(), LEASE_END.plusSeconds(5), LATER)).isTrue();

    // A message with an outcome is never handed over again.
    messages.markSent(sending.id(), "<lease@acme.test>", SENT);
    messages.releaseHandOver(sending.id());
    assertThat(messages.claimHandOver(sending.id(), LATER.plusSeconds(1), LATER)).isFalse();
  }

  @Test
  void smsAttemptsKeepDryRunAndSegments() {
    Message sms =
        new Message(
            Ids.next("msg"),
            campaign.organizationId(),
            campaign.id(),
            lead.id(),
            "proof",
            "B",
            "SMS",
            "k-sms-" + campaign.id(),
            "+14155550100",
            null,
            "Hi",
            null,
            null,
            MessageStatus.SENDING,
            true,
            2,
            null,
            null,
            CREATED,
            null,
            1,
            java.time.LocalDate.parse("2027-02-10"),
            null,
            "<msg_hook@acme.test>",
            "snd_pool1",
            java.time.LocalDate.parse("2027-02-11"));

    messages.begin(sms, LEASE_END);

    Message stored = messages.byIdempotencyKey(sms.idempotencyKey()).orElseThrow();
    assertThat(stored.dryRun()).isTrue();
    assertThat(stored.segments()).isEqualTo(2);
    assertThat(stored.inReplyTo()).isEqualTo("<msg_hook@acme.test>");
    assertThat(stored.senderId()).isEqualTo("snd_pool1");
    assertThat(stored.senderDay()).isEqualTo(java.time.LocalDate.parse("2027-02-11"));
    assertThat(stored.subject()).isNull();
    assertThat(stored.variant()).isEqualTo("B");
  }
}
