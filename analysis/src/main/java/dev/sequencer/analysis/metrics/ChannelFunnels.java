package dev.sequencer.analysis.metrics;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.Channel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The funnel of each channel a campaign sent on: its messages sent, delivered, opened and clicked,
 * and the replies attributed to them (a replied lead's first human reply belongs to the message of
 * the step it is attributed to, so the channels' replies add up to the steps'). A campaign on one
 * channel has one funnel, the sum of its steps'; one whose steps mix channels is counted from its
 * messages, as a fallback may have moved any step of any lead.
 */
@Component
public class ChannelFunnels {

  private final JdbcClient jdbc;

  public ChannelFunnels(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** By channel wire name, every channel the campaign may send on, its own first. */
  public Map<String, StepCounts> of(Campaign campaign, CampaignMetrics metrics) {
    Map<String, StepCounts> funnels = new LinkedHashMap<>();
    campaign.channels().forEach(c -> funnels.put(c.wireName(), StepCounts.ZERO));
    if (!campaign.mixesChannels()) {
      StepCounts all = StepCounts.ZERO;
      for (StepCounts step : metrics.byStep().values()) {
        all = all.plus(step);
      }
      funnels.put(campaign.channel().wireName(), all);
      return funnels;
    }
    jdbc.sql(
            """
            select m.channel,
                   count(*) as sent,
                   count(*) filter (where m.status = 'DELIVERED') as delivered,
                   count(*) filter (where exists (select 1 from lead_events e
                                    where e.lead_pk = m.lead_pk and e.message_id = m.id
                                      and e.event = 'opened')) as opened,
                   count(*) filter (where exists (select 1 from lead_events e
                                    where e.lead_pk = m.lead_pk and e.message_id = m.id
                                      and e.event = 'clicked')) as clicked,
                   count(*) filter (where lm.replied_step = m.step_type) as replied,
                   count(*) filter (where lm.replied_step = m.step_type and lm.positive)
                       as positive
              from messages m
              left join lead_metrics lm on lm.lead_pk = m.lead_pk
             where m.campaign_id = ? and m.sent_at is not null
             group by m.channel
            """)
        .param(campaign.id())
        .query(
            rs -> {
              String channel = Channel.valueOf(rs.getString("channel")).wireName();
              funnels.put(
                  channel,
                  new StepCounts(
                      rs.getLong("sent"),
                      rs.getLong("delivered"),
                      rs.getLong("opened"),
                      rs.getLong("clicked"),
                      rs.getLong("replied"),
                      rs.getLong("positive")));
            });
    return funnels;
  }
}
