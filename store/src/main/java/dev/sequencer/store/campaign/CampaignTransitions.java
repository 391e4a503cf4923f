package dev.sequencer.store.campaign;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Lifecycle transitions of a campaign as compare-and-set updates: each changes the row only from
 * the state it expects and says whether it did, so of two concurrent callers exactly one wins and
 * nothing is read, decided and written back in between.
 */
@Repository
public class CampaignTransitions {

  /** The lifecycle columns of a campaign row, read under its lock. */
  public record Lifecycle(CampaignStatus status, Instant startAt, String workflowId) {}

  private final JdbcClient jdbc;

  public CampaignTransitions(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Locks the campaign row until the transaction ends, like {@link CampaignRepository#lockStatus},
   * and reads its lifecycle.
   */
  public Optional<Lifecycle> lock(String id) {
    return jdbc.sql(
            "select status, start_at, workflow_id from campaigns where id = ? for no key update")
        .param(id)
        .query(
            (rs, row) ->
                new Lifecycle(
                    CampaignStatus.valueOf(rs.getString("status")),
                    instant(rs.getTimestamp("start_at")),
                    rs.getString("workflow_id")))
        .optional();
  }

  /** Draft to scheduled, with its start and run; false when the campaign is no draft (any more). */
  public boolean schedule(String id, Instant startAt, String workflowId) {
    return jdbc.sql(
                "update campaigns set status = 'SCHEDULED', start_at = :startAt,"
                    + " workflow_id = :workflowId, updated_at = now(), version = version + 1"
                    + " where id = :id and status = 'DRAFT'")
            .param("id", id)
            .param("startAt", Timestamp.from(startAt))
            .param("workflowId", workflowId)
            .update()
        == 1;
  }

  /**
   * Undoes {@link #schedule} when the run could not be started: back to draft with the start and
   * run it had before, unless something has moved the campaign on meanwhile.
   */
  public boolean unschedule(
      String id, String workflowId, Instant previousStartAt, String previousWorkflowId) {
    return jdbc.sql(
                "update campaigns set status = 'DRAFT', start_at = :startAt,"
                    + " workflow_id = :previousWorkflowId, updated_at = now(),"
                    + " version = version + 1"
                    + " where id = :id and status = 'SCHEDULED' and workflow_id = :workflowId")
            .param("id", id)
            .param("workflowId", workflowId)
            .param("startAt", previousStartAt == null ? null : Timestamp.from(previousStartAt))
            .param("previousWorkflowId", previousWorkflowId)
            .update()
        == 1;
  }

  /** Moves the start of a scheduled campaign, if it still starts at {@code from}. */
  public boolean moveStart(String id, Instant from, Instant to) {
    return jdbc.sql(
                "update campaigns set start_at = :to, updated_at = now(), version = version + 1"
                    + " where id = :id and status = 'SCHEDULED' and start_at = :from")
            .param("id", id)
            .param("from", Timestamp.from(from))
            .param("to", Timestamp.from(to))
            .update()
        == 1;
  }

  /** Scheduled to running when the run reaches the start; false when it is no longer scheduled. */
  public boolean markRunning(String id) {
    return jdbc.sql(
                "update campaigns set status = 'RUNNING', updated_at = now(),"
                    + " version = version + 1 where id = ? and status = 'SCHEDULED'")
            .param(id)
            .update()
        == 1;
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
