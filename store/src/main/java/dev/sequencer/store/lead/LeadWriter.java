package dev.sequencer.store.lead;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Bulk insert of imported leads; a lead id already in the campaign is not inserted again. */
@Repository
public class LeadWriter {

  private final JdbcTemplate jdbc;

  public LeadWriter(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Inserts the leads in one batch.
   *
   * @return for each lead, whether it was inserted ({@code false}: its lead id was taken)
   */
  public boolean[] insert(List<Lead> leads) {
    int[] counts =
        jdbc.batchUpdate(
            """
            insert into leads (organization_id, campaign_id, lead_id, email, phone, first_name,
                               last_name, company, title, timezone, attributes, status, variant,
                               created_at, updated_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (campaign_id, lead_id) do nothing
            """,
            new BatchPreparedStatementSetter() {
              @Override
              public void setValues(PreparedStatement ps, int i) throws SQLException {
                Lead lead = leads.get(i);
                ps.setString(1, lead.organizationId());
                ps.setString(2, lead.campaignId());
                ps.setString(3, lead.leadId());
                ps.setString(4, lead.email());
                ps.setString(5, lead.phone());
                ps.setString(6, lead.firstName());
                ps.setString(7, lead.lastName());
                ps.setString(8, lead.company());
                ps.setString(9, lead.title());
                ps.setString(10, lead.timezone());
                ps.setString(11, lead.attributes());
                ps.setString(12, lead.status().name());
                ps.setString(13, lead.variant());
                ps.setTimestamp(14, Timestamp.from(lead.createdAt()));
                ps.setTimestamp(15, Timestamp.from(lead.updatedAt()));
              }

              @Override
              public int getBatchSize() {
                return leads.size();
              }
            });
    boolean[] inserted = new boolean[counts.length];
    for (int i = 0; i < counts.length; i++) {
      inserted[i] = counts[i] > 0;
    }
    return inserted;
  }
}
