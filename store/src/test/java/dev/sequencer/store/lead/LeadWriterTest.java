package dev.sequencer.store.lead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.testing.StoreFixtures;
import dev.sequencer.storetest.StoreIntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeadWriterTest extends StoreIntegrationTest {

  @Test
  void insertsABatchAndReportsDuplicatesWithinItAndAgainstEarlierRows() {
    Campaign campaign = fixtures().emailCampaign();
    Lead first = withEmail(StoreFixtures.newLead(campaign, "crm-1", "Grace", null), "first@x.test");
    Lead again =
        withEmail(StoreFixtures.newLead(campaign, "crm-1", "Imposter", null), "dup@x.test");

    boolean[] firstBatch =
        leadWriter.insert(
            List.of(
                first,
                StoreFixtures.newLead(campaign, "crm-2", "Alan", "+14155550100"),
                again,
                StoreFixtures.newLead(campaign, "crm-3", null, null)));
    boolean[] secondBatch =
        leadWriter.insert(
            List.of(
                StoreFixtures.newLead(campaign, "crm-3", "Late", null),
                StoreFixtures.newLead(campaign, "crm-4", "Ada", null)));

    assertThat(firstBatch).containsExactly(true, true, false, true);
    assertThat(secondBatch).containsExactly(false, true);
    List<Lead> stored = leadsOf(campaign);
    assertThat(stored).extracting(Lead::leadId).containsExactly("crm-1", "crm-2", "crm-3", "crm-4");
    Lead crm1 = stored.get(0);
    assertThat(crm1.email()).isEqualTo("first@x.test");
    assertThat(crm1.firstName()).isEqualTo("Grace");
    assertThat(stored.get(1).phone()).isEqualTo("+14155550100");
    assertThat(stored.get(2).firstName()).isNull();
    assertThat(stored).allSatisfy(lead -> assertThat(lead.status()).isEqualTo(LeadStatus.PENDING));
    assertThat(stored)
        .allSatisfy(
            lead -> {
              assertThat(lead.organizationId()).isEqualTo(campaign.organizationId());
              assertThat(lead.timezone()).isEqualTo("UTC");
              assertThat(lead.attributes()).isEqualTo("{}");
            });
  }

  @Test
  void theSameLeadIdMayBeInAnotherCampaign() {
    Campaign one = fixtures().emailCampaign();
    Campaign two = fixtures().emailCampaign();

    boolean[] inserted =
        leadWriter.insert(
            List.of(
                StoreFixtures.newLead(one, "shared", "A", null),
                StoreFixtures.newLead(two, "shared", "B", null)));

    assertThat(inserted).containsExactly(true, true);
    assertThat(leads.findByCampaignIdAndLeadId(one.id(), "shared").orElseThrow().firstName())
        .isEqualTo("A");
    assertThat(leads.findByCampaignIdAndLeadId(two.id(), "shared").orElseThrow().firstName())
        .isEqualTo("B");
  }

  @Test
  void anEmptyBatchInsertsNothing() {
    assertThat(leadWriter.insert(List.of())).isEmpty();
  }

  private List<Lead> leadsOf(Campaign campaign) {
    return jdbc.sql("select * from leads where campaign_id = ? order by id")
        .param(campaign.id())
        .query(LeadQueries::map)
        .list();
  }

  private static Lead withEmail(Lead lead, String email) {
    return new Lead(
        lead.id(),
        lead.organizationId(),
        lead.campaignId(),
        lead.leadId(),
        email,
        lead.phone(),
        lead.firstName(),
        lead.lastName(),
        lead.company(),
        lead.title(),
        lead.timezone(),
        lead.attributes(),
        lead.status(),
        lead.variant(),
        lead.workflowId(),
        lead.createdAt(),
        lead.updatedAt(),
        null);
  }
}
