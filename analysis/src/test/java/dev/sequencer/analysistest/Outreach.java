package dev.sequencer.analysistest;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Writes the rows a campaign's sends, replies and opt-outs leave behind, in bulk and straight into
 * the tables, for metrics and decision tests.
 */
public final class Outreach {

  private final JdbcClient jdbc;
  private final String organizationId;
  private final String campaignId;

  public Outreach(JdbcClient jdbc, String organizationId, String campaignId) {
    this.jdbc = jdbc;
    this.organizationId = organizationId;
    this.campaignId = campaignId;
  }

  /**
   * {@code count} leads of {@code variant} ({@code <prefix>-1} …), each sent a hook at {@code at};
   * the first {@code replied} reply with {@code classification}, the first {@code optedOut} of
   * those end opted out.
   */
  public void variant(
      String prefix,
      String variant,
      int count,
      int replied,
      String classification,
      int optedOut,
      Instant at) {
    Timestamp t = Timestamp.from(at);
    jdbc.sql(
            """
            insert into leads (organization_id, campaign_id, lead_id, email, timezone, status,
                               variant, created_at, updated_at)
            select ?, ?, ? || '-' || i, ? || '-' || i || '@example.com', 'UTC',
                   case when i <= ? then 'OPTED_OUT' when i <= ? then 'REPLIED' else 'COMPLETED' end,
                   ?, ?, ?
            from generate_series(1, ?) i
            """)
        .params(organizationId, campaignId, prefix, prefix, optedOut, replied, variant, t, t, count)
        .update();
    jdbc.sql(
            """
            insert into messages (id, organization_id, campaign_id, lead_pk, step_type, variant,
                                  channel, idempotency_key, recipient, body_text, status,
                                  created_at, sent_at, updated_at)
            select 'msg_' || l.id || '_hook', l.organization_id, l.campaign_id, l.id, 'hook',
                   l.variant, 'EMAIL', 'key-' || l.id || '-0', l.email, 'Hi', 'SENT', ?, ?, ?
            from leads l where l.campaign_id = ? and l.lead_id like ? || '-%'
            """)
        .params(t, t, t, campaignId, prefix)
        .update();
    jdbc.sql(
            """
            insert into lead_events (organization_id, campaign_id, lead_pk, event, detail, at)
            select l.organization_id, l.campaign_id, l.id, 'replied', ? || ': a reply',
                   ?::timestamptz + interval '1 hour'
            from leads l
            where l.campaign_id = ? and l.lead_id like ? || '-%'
              and split_part(l.lead_id, '-', 2)::int <= ?
            """)
        .params(classification, t, campaignId, prefix, replied)
        .update();
  }
}
