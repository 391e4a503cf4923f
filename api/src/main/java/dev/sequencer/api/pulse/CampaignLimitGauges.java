package dev.sequencer.api.pulse;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Each live campaign's daily limit and the units of it taken for the campaign's current day (in its
 * own time zone), as gauges tagged with the campaign id: {@code sequencer_campaign_daily_limit} and
 * {@code sequencer_campaign_daily_used}. Read from the store every 30 s rather than at each scrape,
 * so scrapes stay cheap however many campaigns run.
 */
@Component
public class CampaignLimitGauges {

  private final JdbcClient jdbc;
  private final MultiGauge limit;
  private final MultiGauge used;

  CampaignLimitGauges(JdbcClient jdbc, MeterRegistry registry) {
    this.jdbc = jdbc;
    this.limit =
        MultiGauge.builder("sequencer.campaign.daily.limit")
            .description("a live campaign's daily limit")
            .register(registry);
    this.used =
        MultiGauge.builder("sequencer.campaign.daily.used")
            .description("units of the daily limit taken for the campaign's current day")
            .register(registry);
  }

  @Scheduled(fixedDelayString = "${sequencer.metrics.campaign-limits-interval:30s}")
  public void refresh() {
    List<Row> rows =
        jdbc.sql(
                """
                select c.id, c.daily_limit, coalesce(max(q.used), 0) as used
                  from campaigns c
                  left join daily_quota q
                    on (q.quota_key = c.id or starts_with(q.quota_key, c.id || '/'))
                   and q.day = (now() at time zone c.timezone)::date
                 where c.status in ('SCHEDULED', 'RUNNING', 'PAUSED')
                   and c.daily_limit is not null
                 group by c.id, c.daily_limit
                """)
            .query((rs, n) -> new Row(rs.getString(1), rs.getInt(2), rs.getInt(3)))
            .list();
    limit.register(
        rows.stream()
            .map(r -> MultiGauge.Row.of(Tags.of("campaign", r.campaignId()), r.dailyLimit()))
            .toList(),
        true);
    used.register(
        rows.stream()
            .map(r -> MultiGauge.Row.of(Tags.of("campaign", r.campaignId()), r.used()))
            .toList(),
        true);
  }

  private record Row(String campaignId, int dailyLimit, int used) {}
}
