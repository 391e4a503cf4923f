package dev.sequencer.store.testing;

import dev.sequencer.store.Ids;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadRepository;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Writes the rows a test starts from through the store's own repositories. Every organization and
 * campaign gets a fresh random id, so tests sharing one database (and one Spring context) do not
 * see each other's rows. A plain class, not a bean, so that no application context picks it up by
 * scanning.
 */
public final class StoreFixtures {

  private final JdbcClient jdbc;
  private final CampaignRepository campaigns;
  private final LeadWriter leadWriter;
  private final LeadRepository leads;

  public StoreFixtures(
      JdbcClient jdbc, CampaignRepository campaigns, LeadWriter leadWriter, LeadRepository leads) {
    this.jdbc = jdbc;
    this.campaigns = campaigns;
    this.leadWriter = leadWriter;
    this.leads = leads;
  }

  /** The fixtures on the store beans of {@code context}. */
  public static StoreFixtures of(ApplicationContext context) {
    return new StoreFixtures(
        context.getBean(JdbcClient.class),
        context.getBean(CampaignRepository.class),
        context.getBean(LeadWriter.class),
        context.getBean(LeadRepository.class));
  }

  /** Creates an organization with a fresh id and returns the id. */
  public String organization() {
    String id = Ids.next("org");
    jdbc.sql("insert into organizations (id, name) values (?, ?)").params(id, "Org " + id).update();
    return id;
  }

  public Campaign save(Campaign campaign) {
    return campaigns.save(campaign);
  }

  /** Saves an email campaign with the defaults of {@link CampaignBuilder} in a new organization. */
  public Campaign emailCampaign() {
    return save(CampaignBuilder.email(organization()).build());
  }

  /**
   * A new, unsaved pending lead of {@code campaign}, in the campaign's time zone, whose address is
   * {@code <leadId>@example.com} and phone {@code phone}.
   */
  public static Lead newLead(Campaign campaign, String leadId, String firstName, String phone) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    return new Lead(
        null,
        campaign.organizationId(),
        campaign.id(),
        leadId,
        leadId + "@example.com",
        phone,
        firstName,
        "Tester",
        "Acme",
        "CTO",
        campaign.schedule().timezone(),
        "{}",
        LeadStatus.PENDING,
        null,
        null,
        now,
        now,
        null);
  }

  /** Inserts {@code lead} and returns it as stored (with its surrogate id). */
  public Lead insert(Lead lead) {
    boolean[] inserted = leadWriter.insert(List.of(lead));
    if (!inserted[0]) {
      throw new IllegalStateException("lead " + lead.leadId() + " exists already");
    }
    return leads
        .findByCampaignIdAndLeadId(lead.campaignId(), lead.leadId())
        .orElseThrow(() -> new IllegalStateException("inserted lead not found"));
  }

  /** Inserts a pending lead with {@link #newLead} defaults. */
  public Lead lead(Campaign campaign, String leadId, String firstName) {
    return insert(newLead(campaign, leadId, firstName, null));
  }
}
