package dev.sequencer.store.generation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Each lead's generated copy, one row per step, written once and changed only by a reviewer. */
@Repository
public class LeadGenerations {

  private final JdbcClient jdbc;

  public LeadGenerations(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Records a step's generation unless one is recorded already (a retried activity). */
  public boolean record(LeadGeneration g) {
    return jdbc.sql(
                """
                insert into lead_generations (lead_pk, step, status, subject, body, rejections,
                    failure, attempts, model, prompt, prompt_tokens, completion_tokens, created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (lead_pk, step) do nothing
                """)
            .params(
                g.leadPk(),
                g.step(),
                g.status(),
                g.subject(),
                g.body(),
                g.rejections(),
                g.failure(),
                g.attempts(),
                g.model(),
                g.prompt(),
                g.promptTokens(),
                g.completionTokens(),
                Timestamp.from(g.createdAt()))
            .update()
        == 1;
  }

  public List<LeadGeneration> of(long leadPk) {
    return jdbc.sql(
            "select * from lead_generations where lead_pk = ?"
                + " order by case step when 'hook' then 0 when 'proof' then 1 else 2 end")
        .param(leadPk)
        .query(LeadGenerations::generation)
        .list();
  }

  public Optional<LeadGeneration> of(long leadPk, String step) {
    return jdbc.sql("select * from lead_generations where lead_pk = ? and step = ?")
        .params(leadPk, step)
        .query(LeadGenerations::generation)
        .optional();
  }

  /**
   * A person approves the text waiting for review as it is ({@code body} null) or as they edited
   * it.
   *
   * @return whether it was waiting for review
   */
  public boolean review(
      long leadPk, String step, String subject, String body, String by, Instant at) {
    boolean edited = body != null;
    return jdbc.sql(
                """
                update lead_generations
                   set status = ?, subject = case when ? then coalesce(?, subject) else subject end,
                       body = coalesce(?, body), reviewed_at = ?, reviewed_by = ?
                 where lead_pk = ? and step = ? and status = 'awaiting_review'
                """)
            .params(
                edited ? LeadGeneration.EDITED : LeadGeneration.APPROVED,
                edited,
                subject,
                body,
                Timestamp.from(at),
                by,
                leadPk,
                step)
            .update()
        == 1;
  }

  /**
   * Marks the campaign's texts of {@code steps} that wait for review rejected (the template goes
   * out), and returns the workflow ids of their leads, which wait for a resume.
   */
  public List<String> releaseReviews(String campaignId, java.util.Set<String> steps) {
    return jdbc.sql(
            """
            with released as (
                update lead_generations g set status = 'rejected',
                       rejections = coalesce(rejections || '; ', '') || 'review: no longer asked'
                  from leads l
                 where l.id = g.lead_pk and l.campaign_id = ? and g.status = 'awaiting_review'
                   and g.step = any (?)
                returning l.workflow_id)
            select distinct workflow_id from released where workflow_id is not null
            """)
        .params(campaignId, steps.toArray(String[]::new))
        .query(String.class)
        .list();
  }

  private static LeadGeneration generation(ResultSet rs, int n) throws SQLException {
    Timestamp reviewed = rs.getTimestamp("reviewed_at");
    return new LeadGeneration(
        rs.getLong("lead_pk"),
        rs.getString("step"),
        rs.getString("status"),
        rs.getString("subject"),
        rs.getString("body"),
        rs.getString("rejections"),
        rs.getString("failure"),
        rs.getInt("attempts"),
        rs.getString("model"),
        rs.getString("prompt"),
        rs.getLong("prompt_tokens"),
        rs.getLong("completion_tokens"),
        rs.getTimestamp("created_at").toInstant(),
        reviewed == null ? null : reviewed.toInstant(),
        rs.getString("reviewed_by"));
  }
}
