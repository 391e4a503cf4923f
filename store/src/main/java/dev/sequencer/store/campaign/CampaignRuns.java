package dev.sequencer.store.campaign;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The runs of recurring campaigns, numbered from 1. */
@Repository
public class CampaignRuns {

  /** One run: when it started and how many leads it enrolled. */
  public record Run(int number, Instant startedAt, long enrolled) {}

  private final JdbcClient jdbc;

  public CampaignRuns(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Records a run once per start instant (a retried activity records nothing twice). */
  public void record(String campaignId, Instant startedAt, long enrolled) {
    jdbc.sql(
            """
            insert into campaign_runs (campaign_id, run_number, started_at, enrolled)
            select :campaign, coalesce(max(run_number), 0) + 1, :at, :enrolled
              from campaign_runs where campaign_id = :campaign
            having not exists (select 1 from campaign_runs
                                where campaign_id = :campaign and started_at = :at)
            """)
        .param("campaign", campaignId)
        .param("at", Timestamp.from(startedAt))
        .param("enrolled", enrolled)
        .update();
  }

  public List<Run> of(String campaignId) {
    return jdbc.sql(
            "select run_number, started_at, enrolled from campaign_runs where campaign_id = ?"
                + " order by run_number")
        .param(campaignId)
        .query(
            (rs, i) ->
                new Run(
                    rs.getInt("run_number"),
                    rs.getTimestamp("started_at").toInstant(),
                    rs.getLong("enrolled")))
        .list();
  }
}
