package dev.sequencer.store.audience;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Which audience a campaign enrols, and when a one-time campaign enrolled it. */
@Repository
public class CampaignAudiences {

  private final JdbcClient jdbc;

  public CampaignAudiences(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Makes the campaign enrol the audience (in place of another). Locks the audience's row, so a
   * delete of the audience waits and then sees the campaign.
   */
  public void link(String campaignId, String audienceId) {
    jdbc.sql("select id from audiences where id = ? for share")
        .param(audienceId)
        .query(String.class)
        .optional();
    jdbc.sql(
            "insert into campaign_audiences (campaign_id, audience_id) values (?, ?)"
                + " on conflict (campaign_id) do update set audience_id = excluded.audience_id,"
                + " enrolled_at = null")
        .params(campaignId, audienceId)
        .update();
  }

  public void unlink(String campaignId) {
    jdbc.sql("delete from campaign_audiences where campaign_id = ?").param(campaignId).update();
  }

  public Optional<String> audienceOf(String campaignId) {
    return jdbc.sql("select audience_id from campaign_audiences where campaign_id = ?")
        .param(campaignId)
        .query(String.class)
        .optional();
  }

  /** When the audience's members were last made leads of the campaign, or empty. */
  public Optional<Instant> enrolledAt(String campaignId) {
    return jdbc.sql("select enrolled_at from campaign_audiences where campaign_id = ?")
        .param(campaignId)
        .query((rs, row) -> Optional.ofNullable(rs.getTimestamp(1)).map(Timestamp::toInstant))
        .optional()
        .flatMap(at -> at);
  }

  public void markEnrolled(String campaignId, Instant at) {
    jdbc.sql("update campaign_audiences set enrolled_at = ? where campaign_id = ?")
        .params(Timestamp.from(at), campaignId)
        .update();
  }
}
