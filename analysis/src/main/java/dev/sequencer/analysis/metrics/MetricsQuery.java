package dev.sequencer.analysis.metrics;

import dev.sequencer.store.campaign.StepType;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads a campaign's metrics in one aggregate query: every lead of the campaign joined with one row
 * per lead from each of its sent messages, its outcome events and its attributed conversions, then
 * grouped by variant. The per-lead rows make "leads that …" counts exact without {@code count
 * (distinct …)}; the totals are the sums of the variant rows.
 *
 * <p>Definitions (all per lead of the campaign):
 *
 * <ul>
 *   <li><b>messaged</b>: at least one message with a {@code sent_at} (handed to the provider). A
 *       failed hand-over has none.
 *   <li><b>sent</b> / <b>delivered</b>: messages (not leads) sent, and reported {@code DELIVERED}.
 *   <li><b>opened</b> / <b>clicked</b>: messaged leads with an {@code opened} / {@code clicked}
 *       event; per step, those events of that step's message.
 *   <li><b>human reply</b>: a {@code replied} event whose detail starts with a human classification
 *       ({@code interested}, {@code not_interested}, {@code neutral}, {@code unsubscribe}, then
 *       {@code :} or the end). Out-of-office and auto-replies have events of their own, and the
 *       {@code replied} event that ends a workflow carries no classification, so neither counts.
 *   <li><b>replied</b>: a lead whose first human reply came after a message was sent to it ({@code
 *       messages.sent_at < lead_events.at}); that reply is attributed to the last step sent before
 *       it. So the steps' replies add up to the total, and every replied lead is messaged.
 *   <li><b>positive_replies</b>: replied leads with an {@code interested} reply.
 *   <li><b>opted_out</b>: messaged leads with status {@code OPTED_OUT}, an {@code opted_out} event,
 *       or an {@code unsubscribe} reply (which opts out the address, though a lead whose sequence
 *       had already ended keeps its status).
 *   <li><b>bounced</b>: messaged leads with status {@code BOUNCED} or a {@code bounced} event.
 *   <li><b>failed</b>: leads (messaged or not: a hook that could not be sent fails the lead) with
 *       status {@code FAILED} or a {@code failed} event.
 *   <li><b>converted</b>: messaged leads with a conversion attributed to them (within the
 *       attribution window of a message); for the holdout, holdout leads with one attributed to
 *       their enrolment. {@code conversion_value} sums those conversions' values.
 * </ul>
 *
 * <p>Steps are sent strictly in order (a step is planned only once the one before it was sent), so
 * the last step sent before a reply is the latest step whose {@code sent_at} precedes it.
 */
@Repository
public class MetricsQuery {

  /** The classifications of a reply a person wrote (API.md: these count as replies). */
  public static final List<String> HUMAN_REPLIES =
      List.of("interested", "not_interested", "neutral", "unsubscribe");

  private static final List<String> STEPS =
      Arrays.stream(StepType.values()).map(StepType::wireName).toList();

  private static final String SQL = buildSql();

  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;

  public MetricsQuery(JdbcClient jdbc, TransactionTemplate transaction) {
    this.jdbc = jdbc;
    this.transaction = transaction;
  }

  /**
   * @param variants the campaign's variants, A first; each gets an entry even without leads
   */
  public CampaignMetrics of(String campaignId, List<String> variants) {
    List<Row> rows =
        transaction.execute(
            tx -> {
              // The per-lead hash aggregates of a 100,000-lead campaign need more than the default
              // 4 MB to stay in memory; the setting ends with this read-only transaction.
              jdbc.sql("set local work_mem = '64MB'").update();
              return jdbc.sql(SQL).param("campaign", campaignId).query(MetricsQuery::row).list();
            });
    Map<String, Counts> byVariant = new LinkedHashMap<>();
    variants.forEach(v -> byVariant.put(v, Counts.ZERO));
    Map<String, StepCounts> byStep = new LinkedHashMap<>();
    STEPS.forEach(s -> byStep.put(s, StepCounts.ZERO));
    Counts totals = Counts.ZERO;
    long holdoutLeads = 0;
    long holdoutConverted = 0;
    for (Row row : rows) {
      totals = totals.plus(row.counts());
      holdoutLeads += row.counts().holdout();
      holdoutConverted += row.holdoutConverted();
      if (row.variant() != null) {
        byVariant.merge(row.variant(), row.counts(), Counts::plus);
      }
      row.steps().forEach((step, counts) -> byStep.merge(step, counts, StepCounts::plus));
    }
    return new CampaignMetrics(
        campaignId, totals, new HoldoutCounts(holdoutLeads, holdoutConverted), byVariant, byStep);
  }

  /** The SQL, for an {@code EXPLAIN} (parameter {@code :campaign}). */
  public static String sql() {
    return SQL;
  }

  private record Row(
      String variant, Counts counts, long holdoutConverted, Map<String, StepCounts> steps) {}

  private static Row row(ResultSet rs, int i) throws SQLException {
    BigDecimal value = rs.getBigDecimal("conversion_value");
    Counts counts =
        new Counts(
            rs.getLong("leads"),
            rs.getLong("holdout"),
            rs.getLong("messaged"),
            rs.getLong("sent"),
            rs.getLong("delivered"),
            rs.getLong("opened"),
            rs.getLong("clicked"),
            rs.getLong("replied"),
            rs.getLong("positive_replies"),
            rs.getLong("opted_out"),
            rs.getLong("bounced"),
            rs.getLong("failed"),
            rs.getLong("converted"),
            value == null ? BigDecimal.ZERO : value);
    Map<String, StepCounts> steps = new LinkedHashMap<>();
    for (String step : STEPS) {
      steps.put(
          step,
          new StepCounts(
              rs.getLong(step + "_sent"),
              rs.getLong(step + "_delivered"),
              rs.getLong(step + "_opened"),
              rs.getLong(step + "_clicked"),
              rs.getLong(step + "_replied"),
              rs.getLong(step + "_positive")));
    }
    return new Row(rs.getString("variant"), counts, rs.getLong("holdout_converted"), steps);
  }

  private static String buildSql() {
    String human = HUMAN_REPLIES.stream().map(c -> "'" + c + "'").collect(Collectors.joining(", "));
    String classification = "split_part(detail, ':', 1)";
    List<String> sentColumns = new ArrayList<>();
    List<String> eventColumns = new ArrayList<>();
    List<String> stepColumns = new ArrayList<>();
    for (String s : STEPS) {
      sentColumns.add("max(sent_at) filter (where step_type = '%1$s') as %1$s_at".formatted(s));
      sentColumns.add(
          ("count(*) filter (where step_type = '%1$s' and status = 'DELIVERED')"
                  + " as %1$s_delivered")
              .formatted(s));
      eventColumns.add(
          "bool_or(event = 'opened' and step_type = '%1$s') as %1$s_opened".formatted(s));
      eventColumns.add(
          "bool_or(event = 'clicked' and step_type = '%1$s') as %1$s_clicked".formatted(s));
      stepColumns.add("count(s.%1$s_at) as %1$s_sent".formatted(s));
      stepColumns.add("coalesce(sum(s.%1$s_delivered), 0) as %1$s_delivered".formatted(s));
      stepColumns.add("count(*) filter (where e.%1$s_opened) as %1$s_opened".formatted(s));
      stepColumns.add("count(*) filter (where e.%1$s_clicked) as %1$s_clicked".formatted(s));
      stepColumns.add("count(*) filter (where r.step = '%1$s') as %1$s_replied".formatted(s));
      stepColumns.add(
          "count(*) filter (where r.step = '%1$s' and e.positive) as %1$s_positive".formatted(s));
    }
    // The last step sent before the first human reply: steps are sent in order, so the latest one.
    StringBuilder lastStep = new StringBuilder("case");
    for (int i = STEPS.size() - 1; i >= 0; i--) {
      lastStep.append(
          " when e.replied_at > s.%s_at then '%s'".formatted(STEPS.get(i), STEPS.get(i)));
    }
    lastStep.append(" end");
    return """
        with s as (
          select lead_pk,
                 count(*) as sent,
                 count(*) filter (where status = 'DELIVERED') as delivered,
                 %1$s
          from messages
          where campaign_id = :campaign and sent_at is not null
          group by lead_pk
        ), e as (
          select lead_pk,
                 bool_or(event = 'opened') as opened,
                 bool_or(event = 'clicked') as clicked,
                 min(at) filter (where event = 'replied' and %5$s in (%4$s)) as replied_at,
                 bool_or(event = 'replied' and %5$s = 'interested') as positive,
                 bool_or(event = 'opted_out'
                         or (event = 'replied' and %5$s = 'unsubscribe')) as opted_out,
                 bool_or(event = 'bounced') as bounced,
                 bool_or(event = 'failed') as failed,
                 %2$s
          from lead_events
          where campaign_id = :campaign
            and event in ('opened', 'clicked', 'replied', 'opted_out', 'bounced', 'failed')
          group by lead_pk
        ), c as (
          select lead_pk, sum(coalesce(value, 0)) as value
          from conversions
          where campaign_id = :campaign and attributed
          group by lead_pk
        )
        select l.variant,
               count(*) as leads,
               count(*) filter (where l.status = 'HOLDOUT') as holdout,
               count(s.lead_pk) as messaged,
               coalesce(sum(s.sent), 0) as sent,
               coalesce(sum(s.delivered), 0) as delivered,
               count(*) filter (where s.lead_pk is not null and e.opened) as opened,
               count(*) filter (where s.lead_pk is not null and e.clicked) as clicked,
               count(r.step) as replied,
               count(*) filter (where r.step is not null and e.positive) as positive_replies,
               count(*) filter (where s.lead_pk is not null
                                and (l.status = 'OPTED_OUT' or e.opted_out)) as opted_out,
               count(*) filter (where s.lead_pk is not null
                                and (l.status = 'BOUNCED' or e.bounced)) as bounced,
               count(*) filter (where l.status = 'FAILED' or e.failed) as failed,
               count(c.lead_pk) filter (where s.lead_pk is not null) as converted,
               sum(c.value) filter (where s.lead_pk is not null) as conversion_value,
               count(c.lead_pk) filter (where l.status = 'HOLDOUT') as holdout_converted,
               %3$s
        from leads l
        left join s on s.lead_pk = l.id
        left join e on e.lead_pk = l.id
        left join c on c.lead_pk = l.id
        cross join lateral (select %6$s as step) r
        where l.campaign_id = :campaign
        group by l.variant
        """
        .formatted(
            String.join(",\n         ", sentColumns),
            String.join(",\n         ", eventColumns),
            String.join(",\n       ", stepColumns),
            human,
            classification,
            lastStep);
  }
}
