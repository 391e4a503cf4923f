package dev.sequencer.analysis.metrics;

import dev.sequencer.analysis.stats.ChiSquare;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads {@link CopyComparison}s from the campaign's messages and their leads' generations. */
@Repository
public class CopyComparisons {

  private final JdbcClient jdbc;

  public CopyComparisons(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public CopyComparison of(String campaignId) {
    Map<Boolean, long[]> groups = new HashMap<>();
    jdbc.sql(
            """
            with messaged as (
                select l.id,
                       bool_or(g.status in ('accepted', 'approved', 'edited')) as generated,
                       exists (select 1 from lead_events e
                                where e.lead_pk = l.id and e.event = 'replied') as replied
                  from leads l
                  join messages m on m.lead_pk = l.id and m.sent_at is not null
                  left join lead_generations g
                         on g.lead_pk = l.id and g.step = lower(m.step_type)
                 where l.campaign_id = ?
                 group by l.id)
            select coalesce(generated, false) as generated, count(*) as leads,
                   count(*) filter (where replied) as replied
              from messaged group by 1
            """)
        .param(campaignId)
        .query(
            rs -> {
              groups.put(
                  rs.getBoolean("generated"),
                  new long[] {rs.getLong("leads"), rs.getLong("replied")});
            });
    long[] generated = groups.getOrDefault(true, new long[2]);
    long[] template = groups.getOrDefault(false, new long[2]);
    ChiSquare.Result test =
        generated[0] == 0 || template[0] == 0
            ? ChiSquare.Result.NONE
            : ChiSquare.twoByTwo(generated[1], generated[0], template[1], template[0]);
    return new CopyComparison(
        group(generated),
        group(template),
        test.statistic(),
        test.pValue(),
        test.significantAt(CopyComparison.CONFIDENCE));
  }

  private static CopyComparison.Group group(long[] counts) {
    return new CopyComparison.Group(
        counts[0], counts[1], counts[0] == 0 ? 0.0 : (double) counts[1] / counts[0]);
  }
}
