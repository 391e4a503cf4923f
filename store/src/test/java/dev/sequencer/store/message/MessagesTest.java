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
        null);
  }

  @Test
  void beginIsIdempotentByKey() {
    String key = "lead-" + campaign.id() + "-crm-1:0";
    Message first = attempt(key);
    Message retry = attempt(key);

    assertThat(messages.begin(first)).isTrue();
    assertThat(messages.begin(retry)).isFalse();

    Message stored = messages.byIdempotencyKey(key).orElseThrow();
    assertThat(stored).isEqualTo(first);
    assertThat(messages.ofLead(lead.id())).containsExactly(first);
    assertThat(messages.byIdempotencyKey(key + "x")).isEmpty();
  }

  @Test
  void markSentRecordsTheProviderIdAndTime() {
    Message message = attempt("k-sent-" + campaign.id());
    messages.begin(message);

    messages.markSent(message.id(), "<abc@acme.test>", SENT);

    Message stored = messages.byIdempotencyKey(message.idempotencyKey()).orElseThrow();
    assertThat(stored.status()).isEqualTo(MessageStatus.SENT);
    assertThat(stored.providerMessageId()).isEqualTo("<abc@acme.test>");
    assertThat(stored.sentAt()).isEqualTo(SENT);
    assertThat(stored.bodyText()).isEqualTo("Hi Grace");

    // A later update without a provider id keeps the one recorded.
    messages.markSent(message.id(), null, SENT.plusSeconds(1));
    assertThat(
            messages.byIdempotencyKey(message.idempotencyKey()).orElseThrow().providerMessageId())
        .isEqualTo("<abc@acme.test>");
  }

  @Test
  void markFailedRecordsTheError() {
    Message message = attempt("k-failed-" + campaign.id());
    messages.begin(message);

    messages.markFailed(message.id(), "smtp_rejected", "550 5.1.1 no such user");

    Message stored = messages.byIdempotencyKey(message.idempotencyKey()).orElseThrow();
    assertThat(stored.status()).isEqualTo(MessageStatus.FAILED);
    assertThat(stored.errorCode()).isEqualTo("smtp_rejected");
    assertThat(stored.errorMessage()).isEqualTo("550 5.1.1 no such user");
    assertThat(stored.sentAt()).isNull();
  }

  @Test
  void discardForgetsOnlyAnAttemptStillSending() {
    Message sending = attempt("k-discard-" + campaign.id());
    Message sent = attempt("k-kept-" + campaign.id());
    messages.begin(sending);
    messages.begin(sent);
    messages.markSent(sent.id(), "<kept@acme.test>", SENT);

    messages.discard(sending.id());
    messages.discard(sent.id());

    assertThat(messages.byIdempotencyKey(sending.idempotencyKey())).isEmpty();
    assertThat(messages.byIdempotencyKey(sent.idempotencyKey())).isPresent();
    // A retry may begin again under the same key once the attempt is discarded.
    assertThat(messages.begin(attempt(sending.idempotencyKey()))).isTrue();
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
            null);

    messages.begin(sms);

    Message stored = messages.byIdempotencyKey(sms.idempotencyKey()).orElseThrow();
    assertThat(stored.dryRun()).isTrue();
    assertThat(stored.segments()).isEqualTo(2);
    assertThat(stored.subject()).isNull();
    assertThat(stored.variant()).isEqualTo("B");
  }
}
