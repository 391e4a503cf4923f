package dev.sequencer.store.audience;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** The saved audiences of every organization; the definition is kept as the caller gave it. */
@Repository
public class Audiences {

  private static final String COLUMNS =
      "id, organization_id, name, definition::text, created_at, updated_at";

  private final JdbcClient jdbc;
  private final JsonMapper json = JsonMapper.shared();

  public Audiences(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public void create(Audience audience) {
    jdbc.sql(
            "insert into audiences (id, organization_id, name, definition, created_at, updated_at)"
                + " values (?, ?, ?, cast(? as jsonb), ?, ?)")
        .params(
            audience.id(),
            audience.organizationId(),
            audience.name(),
            json.writeValueAsString(audience.definition()),
            Timestamp.from(audience.createdAt()),
            Timestamp.from(audience.updatedAt()))
        .update();
  }

  /** The audience, if it is the organization's. */
  public Optional<Audience> byId(String organizationId, String id) {
    return jdbc.sql("select " + COLUMNS + " from audiences where id = ? and organization_id = ?")
        .params(id, organizationId)
        .query(this::audienceOf)
        .optional();
  }

  /** The audience a campaign enrols, whatever the organization (the campaign's is checked). */
  public Optional<Audience> ofCampaign(String campaignId) {
    return jdbc.sql(
            "select a.id, a.organization_id, a.name, a.definition::text, a.created_at,"
                + " a.updated_at from audiences a join campaign_audiences ca"
                + " on ca.audience_id = a.id where ca.campaign_id = ?")
        .param(campaignId)
        .query(this::audienceOf)
        .optional();
  }

  /** The organization's audiences, newest first. */
  public List<Audience> list(String organizationId, int limit, long offset) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from audiences where organization_id = ?"
                + " order by created_at desc, id limit ? offset ?")
        .params(organizationId, limit, offset)
        .query(this::audienceOf)
        .list();
  }

  public long count(String organizationId) {
    return jdbc.sql("select count(*) from audiences where organization_id = ?")
        .param(organizationId)
        .query(Long.class)
        .single();
  }

  /** The campaigns that enrol the audience and have not ended (drafts included). */
  public List<String> campaignsUsing(String audienceId) {
    return jdbc.sql(
            "select c.id from campaign_audiences ca join campaigns c on c.id = ca.campaign_id"
                + " where ca.audience_id = ? and c.status not in ('COMPLETED', 'CANCELLED')"
                + " order by c.id")
        .param(audienceId)
        .query(String.class)
        .list();
  }

  /**
   * Deletes the audience unless a campaign that has not ended enrols it; ended campaigns forget it.
   * Takes the audience's row lock first, so a campaign linked meanwhile is seen.
   *
   * @return the campaigns that still use it (nothing was deleted), or an empty list
   */
  @Transactional
  public List<String> deleteUnlessUsed(String organizationId, String id) {
    jdbc.sql("select id from audiences where id = ? and organization_id = ? for update")
        .params(id, organizationId)
        .query(String.class)
        .optional();
    List<String> using = campaignsUsing(id);
    if (!using.isEmpty()) {
      return using;
    }
    jdbc.sql("delete from campaign_audiences where audience_id = ?").param(id).update();
    jdbc.sql("delete from audiences where id = ? and organization_id = ?")
        .params(id, organizationId)
        .update();
    return List.of();
  }

  private Audience audienceOf(ResultSet rs, int row) throws SQLException {
    return new Audience(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        json.readValue(rs.getString(4), AudienceDefinition.class),
        rs.getTimestamp(5).toInstant(),
        rs.getTimestamp(6).toInstant());
  }
}
