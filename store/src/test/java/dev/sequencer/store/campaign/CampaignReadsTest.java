package dev.sequencer.store.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.testing.CampaignBuilder;
import dev.sequencer.storetest.StoreIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** A campaign read twice is the same campaign until its row changes, however it changes. */
class CampaignReadsTest extends StoreIntegrationTest {

  @Autowired TransactionTemplate transactions;

  @Test
  void anUnchangedCampaignIsServedFromMemory() {
    Campaign saved = fixtures().emailCampaign();

    Campaign first = campaigns.findById(saved.id()).orElseThrow();
    Campaign second = campaigns.findById(saved.id()).orElseThrow();

    assertThat(second).isSameAs(first);
    assertThat(second).isEqualTo(saved);
  }

  @Test
  void anUpdateThatDoesNotCountTheVersionUpIsSeen() {
    Campaign saved = fixtures().emailCampaign();
    campaigns.pauseWithReason(saved.id(), "bounce_rate");
    assertThat(campaigns.findById(saved.id()).orElseThrow().pauseReason()).isEqualTo("bounce_rate");

    campaigns.clearPauseReason(saved.id());

    assertThat(campaigns.findById(saved.id()).orElseThrow().pauseReason()).isNull();
  }

  @Test
  void twoUpdatesInOneTransactionAreBothSeen() {
    Campaign saved = fixtures().emailCampaign();
    transactions.executeWithoutResult(
        tx -> {
          campaigns.updateStatus(saved.id(), "SCHEDULED", null);
          assertThat(campaigns.findById(saved.id()).orElseThrow().status())
              .isEqualTo(CampaignStatus.SCHEDULED);
          jdbc.sql("update campaigns set name = 'Renamed' where id = ?").param(saved.id()).update();
        });

    Campaign read = campaigns.findById(saved.id()).orElseThrow();

    assertThat(read.status()).isEqualTo(CampaignStatus.SCHEDULED);
    assertThat(read.name()).isEqualTo("Renamed");
  }

  @Test
  void whatARolledBackTransactionReadIsNeverServed() {
    Campaign saved = fixtures().emailCampaign();
    campaigns.findById(saved.id()).orElseThrow();
    transactions.executeWithoutResult(
        tx -> {
          campaigns.updateStatus(saved.id(), "CANCELLED", "changed my mind");
          assertThat(campaigns.findById(saved.id()).orElseThrow().status())
              .isEqualTo(CampaignStatus.CANCELLED);
          tx.setRollbackOnly();
        });

    Campaign read = campaigns.findById(saved.id()).orElseThrow();

    assertThat(read.status()).isEqualTo(saved.status());
    assertThat(read.cancelReason()).isNull();
  }

  @Test
  void savedStepsAreSeen() {
    String org = fixtures().organization();
    Campaign saved =
        campaigns.save(
            CampaignBuilder.email(org)
                .step("A", StepType.HOOK, 0, "First subject", "First body")
                .build());
    Campaign loaded = campaigns.findById(saved.id()).orElseThrow();

    campaigns.save(
        CampaignBuilder.email(org)
            .id(saved.id())
            .step("A", StepType.HOOK, 0, "A new subject", "First body")
            .step("A", StepType.PROOF, 3, "Proof", "Proof body")
            .build()
            .withVersion(loaded.version()));

    assertThat(campaigns.findById(saved.id()).orElseThrow().steps())
        .extracting(CampaignStep::subject)
        .containsExactly("A new subject", "Proof");
  }

  @Test
  void anotherOrganizationsOrADeletedCampaignIsNotFound() {
    Campaign saved = fixtures().emailCampaign();
    String other = fixtures().organization();

    assertThat(campaigns.findByIdAndOrganizationId(saved.id(), other)).isEmpty();
    assertThat(campaigns.findByIdAndOrganizationId(saved.id(), saved.organizationId())).isPresent();

    campaigns.deleteById(saved.id());

    assertThat(campaigns.findById(saved.id())).isEmpty();
    assertThat(campaigns.findByIdAndOrganizationId(saved.id(), saved.organizationId())).isEmpty();
  }
}
