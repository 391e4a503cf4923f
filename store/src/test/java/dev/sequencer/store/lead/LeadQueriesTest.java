package dev.sequencer.store.lead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.testing.StoreFixtures;
import dev.sequencer.storetest.StoreIntegrationTest;
import java.time.Instant;
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
  void aCampaignPauseAndResumeMoveItsActiveLeadsAndLeaveLeadsPausedOnTheirOwn() {
    Lead byLead = stored.get(0);
    Lead waiting = stored.get(5);
    Lead sleeping = stored.get(10);
    queries.pause(byLead.id(), LeadQueries.PAUSED_BY_LEAD);
    LeadSteps steps = new LeadSteps(jdbc);
    Instant planned = Instant.parse("2027-03-01T09:00:00Z");
    for (Lead lead : List.of(byLead, waiting, sleeping)) {
      steps.plan(
          lead.id(), List.of(new LeadStep(0, "hook", "scheduled", planned, null, null, null)));
    }

    Instant at = Instant.parse("2027-02-26T10:00:00Z");
    // 5, 10, 15, 20 are active; 0 was paused by support.
    assertThat(queries.pauseWithCampaign(campaign.id(), "campaign paused", at)).isEqualTo(4);
    assertThat(statuses())
        .containsEntry("crm-00", "PAUSED/lead")
        .containsEntry("crm-05", "PAUSED/campaign")
        .containsEntry("crm-20", "PAUSED/campaign")
        .containsEntry("crm-01", "PENDING/null");
    assertThat(new LeadTimeline(jdbc).of(waiting.id()))
        .contains(new LeadEvent(at, "paused", null, "campaign paused"));
    // crm-05's step fell due during the pause; its send recorded it waiting.
    steps.waitFrom(waiting.id(), 0, "paused");
    steps.waitFrom(byLead.id(), 0, "paused");

    assertThat(queries.resumeWithCampaign(campaign.id(), "campaign resumed", at)).isEqualTo(4);
    assertThat(statuses())
        .containsEntry("crm-00", "PAUSED/lead")
        .containsEntry("crm-05", "ACTIVE/null")
        .containsEntry("crm-20", "ACTIVE/null");
    // Only the lead whose workflow waits on the pause needs waking: not crm-10 (its timer has not
    // fired), not crm-00 (paused on its own).
    assertThat(queries.waitingOnPauseAfter(campaign.id(), 0, 100))
        .extracting(Lead::leadId)
        .containsExactly("crm-05");
    assertThat(queries.waitingOnPauseAfter(campaign.id(), waiting.id(), 100)).isEmpty();
    // A second resume finds nothing paused with the campaign.
    assertThat(queries.resumeWithCampaign(campaign.id(), "campaign resumed", at)).isZero();
  }

  private Map<String, String> statuses() {
    return jdbc
        .sql(
            "select lead_id, status || '/' || coalesce(paused_by, 'null') from leads"
                + " where campaign_id = ?")
        .param(campaign.id())
        .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2)))
        .list()
        .stream()
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
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
