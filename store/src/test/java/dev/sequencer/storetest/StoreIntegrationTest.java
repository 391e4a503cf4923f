package dev.sequencer.storetest;

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

/**
 * Base of the store's repository tests: one Spring context (cached across the test classes) on the
 * JVM's embedded PostgreSQL. Tests keep apart by creating their own organization and campaign.
 */
@SpringBootTest(
    classes = StoreTestApplication.class,
    properties = {"spring.main.banner-mode=off", "spring.datasource.hikari.maximum-pool-size=16"})
public abstract class StoreIntegrationTest {

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
