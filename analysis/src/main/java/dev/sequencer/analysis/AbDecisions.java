package dev.sequencer.analysis;

import java.sql.Timestamp;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The decided A/B tests (table {@code ab_decisions}): one per campaign, written once. */
@Repository
public class AbDecisions {

  private final JdbcClient jdbc;

  public AbDecisions(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<Decision> of(String campaignId) {
    return jdbc.sql(
            "select campaign_id, winner, metric, statistic, p_value, decided_at from ab_decisions"
                + " where campaign_id = ?")
        .param(campaignId)
        .query(
            (rs, i) ->
                new Decision(
                    rs.getString("campaign_id"),
                    rs.getString("winner"),
                    rs.getString("metric"),
                    rs.getDouble("statistic"),
                    rs.getDouble("p_value"),
                    rs.getTimestamp("decided_at").toInstant()))
        .optional();
  }

  /**
   * Records the decision unless the campaign has one: a decision is never overwritten, so two
   * checks racing each other agree on the first.
   *
   * @return whether this call recorded it
   */
  public boolean record(Decision decision) {
    return jdbc.sql(
                """
                insert into ab_decisions (campaign_id, winner, metric, statistic, p_value, decided_at)
                values (?, ?, ?, ?, ?, ?)
                on conflict (campaign_id) do nothing
                """)
            .params(
                decision.campaignId(),
                decision.winner(),
                decision.metric(),
                decision.statistic(),
                decision.pValue(),
                Timestamp.from(decision.decidedAt()))
            .update()
        > 0;
  }
}
