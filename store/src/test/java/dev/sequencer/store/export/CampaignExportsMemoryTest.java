package dev.sequencer.store.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.testing.TestDatabase;
import dev.sequencer.storetest.StoreIntegrationTest;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An export of 100,000 leads of about 1 KB each (over 100 MB of CSV) runs in a process whose whole
 * heap is 48 MB: the rows stream from a cursor instead of being held.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CampaignExportsMemoryTest extends StoreIntegrationTest {

  private static final int LEADS = 100_000;

  private Campaign campaign;

  @AfterEach
  void drop() {
    if (campaign != null) {
      jdbc.sql("delete from campaigns where id = ?").param(campaign.id()).update();
    }
  }

  @Test
  void aHundredThousandLeadsExportInBoundedMemory() throws Exception {
    campaign = fixtures().emailCampaign();
    jdbc.sql(
            """
            insert into leads (organization_id, campaign_id, lead_id, email, first_name, timezone,
                               attributes, status, created_at, updated_at)
            select ?, ?, 'lead-' || g, 'lead' || g || '@export.test', 'Lead', 'UTC',
                   '{"notes": "' || repeat('x', 1000) || '"}', 'COMPLETED', now(), now()
              from generate_series(1, ?) g
            """)
        .params(campaign.organizationId(), campaign.id(), LEADS)
        .update();

    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m",
                "-cp",
                System.getProperty("java.class.path"),
                ExportToNowhere.class.getName(),
                TestDatabase.jdbcUrl() + "&password=" + TestDatabase.PASSWORD,
                campaign.id(),
                "LEADS")
            .redirectError(new File("target/export-memory-test.log"))
            .start();
    assertThat(child.waitFor(150, TimeUnit.SECONDS)).isTrue();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(child.exitValue())
        .as("exit of the export (log: target/export-memory-test.log)")
        .isZero();
    String[] figures = out.split(" ");
    assertThat(Long.parseLong(figures[0])).isEqualTo(LEADS);
    // More than twice the heap went through it.
    assertThat(Long.parseLong(figures[1])).isGreaterThan(100_000_000L);
  }
}
