package dev.sequencer.store.trigger;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** The triggers of triggered campaigns: what each waits for, and since when it is active. */
@Repository
public class CampaignTriggers {

  private final JdbcClient jdbc;
  private final JsonMapper json = JsonMapper.shared();

  public CampaignTriggers(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A campaign's trigger and when it was activated (null before). */
  public record Stored(String campaignId, Trigger trigger, Instant activatedAt) {}

  /**
   * A running triggered campaign.
   *
   * @param campaignVersion the campaign row's version: a cached copy of the campaign with this
   *     version is the campaign as stored
   */
  public record Running(String campaignId, Trigger trigger, long campaignVersion) {}

  /** Sets (or replaces) the campaign's trigger. */
  public void save(String campaignId, String organizationId, Trigger trigger) {
    jdbc.sql(
            """
            insert into campaign_triggers (campaign_id, organization_id, event_type, definition)
            values (?, ?, ?, cast(? as jsonb))
            on conflict (campaign_id) do update
               set event_type = excluded.event_type, definition = excluded.definition
            """)
        .params(campaignId, organizationId, trigger.event(), json.writeValueAsString(trigger))
        .update();
  }

  public void delete(String campaignId) {
    jdbc.sql("delete from campaign_triggers where campaign_id = ?").param(campaignId).update();
  }

  public Optional<Stored> of(String campaignId) {
    return jdbc.sql(
            "select campaign_id, definition::text, activated_at from campaign_triggers"
                + " where campaign_id = ?")
        .param(campaignId)
        .query(
            (rs, row) ->
                new Stored(
                    rs.getString(1),
                    json.readValue(rs.getString(2), Trigger.class),
                    instant(rs.getTimestamp(3))))
        .optional();
  }

  public boolean isTriggered(String campaignId) {
    return jdbc.sql("select exists (select 1 from campaign_triggers where campaign_id = ?)")
        .param(campaignId)
        .query(Boolean.class)
        .single();
  }

  /** Marks the trigger active from {@code at} on; the first activation's time stays. */
  public void activate(String campaignId, Instant at) {
    jdbc.sql(
            "update campaign_triggers set activated_at = coalesce(activated_at, ?)"
                + " where campaign_id = ?")
        .params(Timestamp.from(at), campaignId)
        .update();
  }

  /**
   * The organization's activated triggers for this event type whose campaign runs: a paused,
   * cancelled or not yet running campaign enrols no one.
   */
  public List<Running> running(String organizationId, String eventType) {
    return jdbc.sql(
            """
            select t.campaign_id, t.definition::text, c.version
              from campaign_triggers t join campaigns c on c.id = t.campaign_id
             where t.organization_id = ? and t.event_type = ? and t.activated_at is not null
               and c.status = 'RUNNING'
             order by t.campaign_id
            """)
        .params(organizationId, eventType)
        .query(
            (rs, row) ->
                new Running(
                    rs.getString(1), json.readValue(rs.getString(2), Trigger.class), rs.getLong(3)))
        .list();
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  /**
   * The running triggered campaigns with a lead still pending since before {@code createdBefore}:
   * an event enrolled it, but its sequence was never started (the api died between the commit and
   * the start, or Temporal refused the start).
   */
  public List<String> withStrandedLeads(Instant createdBefore) {
    return jdbc.sql(
            """
            select t.campaign_id
              from campaign_triggers t join campaigns c on c.id = t.campaign_id
             where t.activated_at is not null and c.status = 'RUNNING'
               and exists (select 1 from leads l
                            where l.campaign_id = t.campaign_id and l.status = 'PENDING'
                              and l.created_at < ?)
             order by t.campaign_id
            """)
        .param(Timestamp.from(createdBefore))
        .query(String.class)
        .list();
  }
}
