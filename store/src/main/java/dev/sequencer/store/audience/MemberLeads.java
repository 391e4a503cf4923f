package dev.sequencer.store.audience;

import dev.sequencer.store.lead.Lead;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Leads made from an audience's members, each pointing back at its contact. */
@Repository
public class MemberLeads {

  private final JdbcTemplate jdbc;

  public MemberLeads(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Inserts the leads in one batch, the lead of index i made from the contact {@code
   * contactPks.get(i)}. A lead id already in the campaign stays as it is: a retry, or a recurring
   * run, adds only the members not yet leads.
   *
   * @return how many leads were added
   */
  public int insert(List<Lead> leads, List<Long> contactPks) {
    int[] counts =
        jdbc.batchUpdate(
            """
            insert into leads (organization_id, campaign_id, lead_id, email, phone, first_name,
                               last_name, company, title, timezone, attributes, status,
                               created_at, updated_at, contact_pk, whatsapp)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
                ps.setTimestamp(13, Timestamp.from(lead.createdAt()));
                ps.setTimestamp(14, Timestamp.from(lead.updatedAt()));
                ps.setLong(15, contactPks.get(i));
                ps.setString(16, lead.whatsapp());
              }

              @Override
              public int getBatchSize() {
                return leads.size();
              }
            });
    int added = 0;
    for (int count : counts) {
      added += count > 0 ? 1 : 0;
    }
    return added;
  }
}
