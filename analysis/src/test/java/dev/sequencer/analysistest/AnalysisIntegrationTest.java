package dev.sequencer.analysistest;

import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.lead.LeadRepository;
import dev.sequencer.store.lead.LeadWriter;
import dev.sequencer.store.testing.StoreFixtures;
import dev.sequencer.store.testing.TestDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Base of the analysis module's database tests, on the JVM's embedded PostgreSQL. */
@SpringBootTest(classes = AnalysisTestApplication.class, properties = "spring.main.banner-mode=off")
public abstract class AnalysisIntegrationTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @Autowired protected JdbcClient jdbc;
  @Autowired protected CampaignRepository campaigns;
  @Autowired protected LeadRepository leads;
  @Autowired protected LeadWriter leadWriter;

  protected StoreFixtures fixtures() {
    return new StoreFixtures(jdbc, campaigns, leadWriter, leads);
  }
}
