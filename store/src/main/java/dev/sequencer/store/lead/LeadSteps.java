package dev.sequencer.store.lead;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Per-step plan and outcome rows; written step by step as the workflow moves on. */
@Repository
public class LeadSteps {

  private final JdbcClient jdbc;

  public LeadSteps(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public List<LeadStep> of(long leadPk) {
    return jdbc.sql(
            "select position, type, status, scheduled_at, sent_at, reason, message_id"
                + " from lead_steps where lead_pk = ? order by position")
        .param(leadPk)
        .query(
            (rs, i) ->
                new LeadStep(
                    rs.getInt("position"),
                    rs.getString("type"),
                    rs.getString("status"),
                    instant(rs.getTimestamp("scheduled_at")),
                    instant(rs.getTimestamp("sent_at")),
                    rs.getString("reason"),
                    rs.getString("message_id")))
        .list();
  }

  /**
   * Records the planned instant of each not yet final step; sent or failed steps are kept. A step
   * whose generated copy was refused keeps saying so until a new plan gives another reason.
   */
  @Transactional
  public void plan(long leadPk, List<LeadStep> steps) {
    for (LeadStep step : steps) {
      jdbc.sql(
              """
              insert into lead_steps (lead_pk, position, type, status, scheduled_at, reason, updated_at)
              values (:lead, :position, :type, :status, :scheduled, :reason, now())
              on conflict (lead_pk, position) do update
                 set type = excluded.type, status = excluded.status,
                     scheduled_at = excluded.scheduled_at, reason = coalesce(excluded.reason,
                       case when lead_steps.reason = 'generation_rejected' then lead_steps.reason end),
                     updated_at = now()
               where lead_steps.status = 'scheduled'
              """)
          .param("lead", leadPk)
          .param("position", step.position())
          .param("type", step.type())
          .param("status", step.status())
          .param("scheduled", timestamp(step.scheduledAt()))
          .param("reason", step.reason())
          .update();
    }
  }

  /**
   * {@link #plan} for many leads in one statement per thousand steps: enrolment plans a page of
   * leads at once.
   */
  @Transactional
  public void planAll(Map<Long, List<LeadStep>> plans) {
    List<Object[]> rows = new ArrayList<>();
    plans.forEach(
        (leadPk, steps) ->
            steps.forEach(
                step ->
                    rows.add(
                        new Object[] {
                          leadPk,
                          step.position(),
                          step.type(),
                          step.status(),
                          timestamp(step.scheduledAt()),
                          step.reason()
                        })));
    for (int from = 0; from < rows.size(); from += 1_000) {
      List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + 1_000));
      StringBuilder sql =
          new StringBuilder(
              "insert into lead_steps (lead_pk, position, type, status, scheduled_at, reason,"
                  + " updated_at) values ");
      List<Object> params = new ArrayList<>(chunk.size() * 6);
      for (int i = 0; i < chunk.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, now())");
        params.addAll(Arrays.asList(chunk.get(i)));
      }
      sql.append(
          """
           on conflict (lead_pk, position) do update
             set type = excluded.type, status = excluded.status,
                 scheduled_at = excluded.scheduled_at,
                 reason = coalesce(excluded.reason,
                   case when lead_steps.reason = 'generation_rejected' then lead_steps.reason end),
                 updated_at = now()
           where lead_steps.status = 'scheduled'
          """);
      jdbc.sql(sql.toString()).params(params).update();
    }
  }

  /** Moves one step that is still to come to its new instant, with the reason it moved. */
  public void reschedule(long leadPk, int position, Instant scheduledAt, String reason) {
    jdbc.sql(
            "update lead_steps set scheduled_at = ?, reason = ?, updated_at = now()"
                + " where lead_pk = ? and position = ? and status = 'scheduled'")
        .params(timestamp(scheduledAt), reason, leadPk, position)
        .update();
  }

  /** Steps still to come from {@code fromPosition} on wait without a date, for {@code reason}. */
  public void waitFrom(long leadPk, int fromPosition, String reason) {
    jdbc.sql(
            "update lead_steps set scheduled_at = null, reason = ?, updated_at = now()"
                + " where lead_pk = ? and position >= ? and status = 'scheduled'")
        .params(reason, leadPk, fromPosition)
        .update();
  }

  /** Says why a step still to come differs from its plan (its copy fell back to the template). */
  public void note(long leadPk, String type, String reason) {
    jdbc.sql(
            "update lead_steps set reason = ?, updated_at = now()"
                + " where lead_pk = ? and type = ? and status = 'scheduled'")
        .params(reason, leadPk, type)
        .update();
  }

  /** A step sent keeps one reason: that its copy is the template because generation was refused. */
  public void markSent(long leadPk, String type, Instant sentAt, String messageId) {
    jdbc.sql(
            "update lead_steps set status = 'sent', sent_at = ?, message_id = ?,"
                + " reason = case when reason = 'generation_rejected' then reason end,"
                + " updated_at = now() where lead_pk = ? and type = ?")
        .params(timestamp(sentAt), messageId, leadPk, type)
        .update();
  }

  /** Ends a step that was not sent: {@code failed}, {@code skipped} or {@code cancelled}. */
  /**
   * @return whether the step was still scheduled (and is closed now)
   */
  public boolean close(long leadPk, String type, String status, String reason) {
    return jdbc.sql(
                "update lead_steps set status = ?, reason = ?, updated_at = now()"
                    + " where lead_pk = ? and type = ? and status = 'scheduled'")
            .params(status, reason, leadPk, type)
            .update()
        > 0;
  }

  static Instant instant(Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }

  static Timestamp timestamp(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }
}
