package dev.sequencer.store.lead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.testing.StoreFixtures;
import dev.sequencer.storetest.StoreIntegrationTest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class LeadQueriesTest extends StoreIntegrationTest {

  @Autowired LeadQueries queries;

  private Campaign campaign;
  private List<Lead> stored;

  /** 25 leads: crm-00 … crm-24; every fifth (00, 05, …) active, the others pending. */
  @BeforeEach
  void leadsOfOneCampaign() {
    campaign = fixtures().emailCampaign();
    List<Lead> batch = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      batch.add(StoreFixtures.newLead(campaign, "crm-%02d".formatted(i), "Lead" + i, null));
    }
    assertThat(leadWriter.insert(batch)).doesNotContain(false);
    stored = queries.page(campaign.id(), null, 100, 0);
    for (int i = 0; i < 25; i += 5) {
      queries.enrol(stored.get(i).id(), LeadStatus.ACTIVE, "A", "wf-" + i);
    }
    // Another campaign's leads are never counted or listed.
    Campaign other = fixtures().emailCampaign();
    leadWriter.insert(List.of(StoreFixtures.newLead(other, "crm-00", "Other", null)));
  }

  @Test
  void aCampaignResumeLeavesOutLeadsPausedOnTheirOwn() {
    Lead byLead = stored.get(0);
    Lead resumedAgain = stored.get(5);
    Lead pausedOtherwise = stored.get(10);
    queries.pause(byLead.id(), LeadQueries.PAUSED_BY_LEAD);
    queries.pause(resumedAgain.id(), LeadQueries.PAUSED_BY_LEAD);
    queries.transition(resumedAgain.id(), LeadStatus.ACTIVE);
    queries.pause(pausedOtherwise.id(), null);

    assertThat(queries.runningAfter(campaign.id(), 0, 100))
        .extracting(Lead::leadId)
        .containsExactly("crm-00", "crm-05", "crm-10", "crm-15", "crm-20");
    assertThat(queries.resumableAfter(campaign.id(), 0, 100))
        .extracting(Lead::leadId)
        .containsExactly("crm-05", "crm-10", "crm-15", "crm-20");
    assertThat(queries.resumableAfter(campaign.id(), resumedAgain.id(), 2))
        .extracting(Lead::leadId)
        .containsExactly("crm-10", "crm-15");
  }

  @Test
  void pagesInIdOrder() {
    List<Lead> first = queries.page(campaign.id(), null, 10, 0);
    List<Lead> last = queries.page(campaign.id(), null, 10, 20);
    List<Lead> beyond = queries.page(campaign.id(), null, 10, 30);

    assertThat(stored).hasSize(25);
    assertThat(stored).extracting(Lead::id).isSorted();
    assertThat(first)
        .extracting(Lead::leadId)
        .containsExactly(
            "crm-00", "crm-01", "crm-02", "crm-03", "crm-04", "crm-05", "crm-06", "crm-07",
            "crm-08", "crm-09");
    assertThat(last)
        .extracting(Lead::leadId)
        .containsExactly("crm-20", "crm-21", "crm-22", "crm-23", "crm-24");
    assertThat(beyond).isEmpty();
  }

  @Test
  void pagesAndCountsByStatus() {
    List<Lead> active = queries.page(campaign.id(), LeadStatus.ACTIVE, 3, 0);
    List<Lead> activeRest = queries.page(campaign.id(), LeadStatus.ACTIVE, 3, 3);

    assertThat(active).extracting(Lead::leadId).containsExactly("crm-00", "crm-05", "crm-10");
    assertThat(activeRest).extracting(Lead::leadId).containsExactly("crm-15", "crm-20");
    assertThat(active.get(0).variant()).isEqualTo("A");
    assertThat(active.get(0).workflowId()).isEqualTo("wf-0");
    assertThat(queries.count(campaign.id(), null)).isEqualTo(25);
    assertThat(queries.count(campaign.id(), LeadStatus.ACTIVE)).isEqualTo(5);
    assertThat(queries.count(campaign.id(), LeadStatus.PENDING)).isEqualTo(20);
    assertThat(queries.count(campaign.id(), LeadStatus.REPLIED)).isZero();
    assertThat(queries.count("cmp_missing", null)).isZero();
  }

  @Test
  void countsByStatusListsEveryStatus() {
    queries.transition(stored.get(0).id(), LeadStatus.REPLIED);

    Map<LeadStatus, Long> counts = queries.countsByStatus(campaign.id());

    assertThat(counts.keySet()).containsExactly(LeadStatus.values());
    assertThat(counts.get(LeadStatus.PENDING)).isEqualTo(20);
    assertThat(counts.get(LeadStatus.ACTIVE)).isEqualTo(4);
    assertThat(counts.get(LeadStatus.REPLIED)).isEqualTo(1);
    assertThat(counts.get(LeadStatus.COMPLETED)).isZero();
    assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(25);
  }

  @Test
  void pendingAfterWalksThePendingLeadsInBatches() {
    List<Lead> firstBatch = queries.pendingAfter(campaign.id(), 0, 8);
    List<Lead> secondBatch =
        queries.pendingAfter(campaign.id(), firstBatch.get(firstBatch.size() - 1).id(), 8);

    assertThat(firstBatch)
        .extracting(Lead::leadId)
        .containsExactly(
            "crm-01", "crm-02", "crm-03", "crm-04", "crm-06", "crm-07", "crm-08", "crm-09");
    assertThat(secondBatch)
        .extracting(Lead::leadId)
        .containsExactly(
            "crm-11", "crm-12", "crm-13", "crm-14", "crm-16", "crm-17", "crm-18", "crm-19");
    assertThat(queries.pendingAfter(campaign.id(), stored.get(24).id(), 8)).isEmpty();
  }

  @Test
  void enrolMovesOnlyPendingLeads() {
    Lead pending = stored.get(1);
    Lead active = stored.get(0);

    queries.enrol(pending.id(), LeadStatus.HOLDOUT, null, null);
    queries.enrol(active.id(), LeadStatus.SUPPRESSED, null, null);

    assertThat(reload(pending).status()).isEqualTo(LeadStatus.HOLDOUT);
    assertThat(reload(active).status()).isEqualTo(LeadStatus.ACTIVE);
    assertThat(reload(active).workflowId()).isEqualTo("wf-0");
    assertThat(reload(active).updatedAt()).isAfterOrEqualTo(active.updatedAt());
  }

  @Test
  void assignVariantRecordsTheVariantWithoutEnrolling() {
    Lead lead = stored.get(2);

    queries.assignVariant(lead.id(), "B");

    assertThat(reload(lead).variant()).isEqualTo("B");
    assertThat(reload(lead).status()).isEqualTo(LeadStatus.PENDING);
  }

  @Test
  void transitionMovesBetweenOpenStatusesButNeverLeavesAFinalOne() {
    long id = stored.get(0).id();

    assertThat(queries.transition(id, LeadStatus.PAUSED)).isTrue();
    assertThat(reload(id).status()).isEqualTo(LeadStatus.PAUSED);
    assertThat(queries.transition(id, LeadStatus.ACTIVE)).isTrue();
    assertThat(queries.transition(id, LeadStatus.REPLIED)).isTrue();
    assertThat(reload(id).status()).isEqualTo(LeadStatus.REPLIED);

    assertThat(queries.transition(id, LeadStatus.ACTIVE)).isFalse();
    assertThat(queries.transition(id, LeadStatus.OPTED_OUT)).isFalse();
    assertThat(reload(id).status()).isEqualTo(LeadStatus.REPLIED);
  }

  @Test
  void everyFinalStatusIsKept() {
    EnumSet<LeadStatus> finals = EnumSet.noneOf(LeadStatus.class);
    for (LeadStatus status : LeadStatus.values()) {
      if (status.isFinal()) {
        finals.add(status);
      }
    }
    assertThat(finals)
        .containsExactlyInAnyOrder(
            LeadStatus.HOLDOUT,
            LeadStatus.SUPPRESSED,
            LeadStatus.REPLIED,
            LeadStatus.OPTED_OUT,
            LeadStatus.BOUNCED,
            LeadStatus.FAILED,
            LeadStatus.COMPLETED,
            LeadStatus.CANCELLED);

    int i = 1;
    for (LeadStatus status : finals) {
      long id = stored.get(i++).id();
      assertThat(queries.transition(id, status)).as("into %s", status).isTrue();
      assertThat(queries.transition(id, LeadStatus.ACTIVE)).as("out of %s", status).isFalse();
      assertThat(queries.transition(id, LeadStatus.CANCELLED)).as("out of %s", status).isFalse();
      assertThat(reload(id).status()).isEqualTo(status);
    }
  }

  private Lead reload(Lead lead) {
    return reload(lead.id());
  }

  private Lead reload(long id) {
    return leads.findById(id).orElseThrow();
  }
}
