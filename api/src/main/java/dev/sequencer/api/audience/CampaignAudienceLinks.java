package dev.sequencer.api.audience;

import dev.sequencer.api.campaign.Ids;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.api.error.UnprocessableException;
import dev.sequencer.store.audience.Audiences;
import dev.sequencer.store.audience.CampaignAudiences;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** A campaign's {@code audience_id}: checked to be the organization's, stored beside it. */
@Component
public class CampaignAudienceLinks {

  public static final String FIELD = "audience_id";

  private final Audiences audiences;
  private final CampaignAudiences links;

  CampaignAudienceLinks(Audiences audiences, CampaignAudiences links) {
    this.audiences = audiences;
    this.links = links;
  }

  /** Whether the body names the field at all (a JSON null included: no audience). */
  public static boolean named(JsonNode body) {
    return body.has(FIELD);
  }

  /**
   * The audience the body names, or null for none.
   *
   * @throws UnprocessableException when it is not one of the organization's audiences (as a pool
   *     sender that is not the organization's is refused: the id may be another's, which this does
   *     not reveal)
   */
  public String requested(String organizationId, JsonNode body) {
    JsonNode node = body.get(FIELD);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isString()) {
      throw InvalidRequestException.of(FIELD, "must be an audience id (aud_...)");
    }
    String id = Ids.checked(FIELD, node.asString());
    if (audiences.byId(organizationId, id).isEmpty()) {
      throw UnprocessableException.of(
          FIELD, "is not an audience of this organization: create it with POST /api/v1/audiences");
    }
    return id;
  }

  /** The campaign's audience, or null. */
  public String of(String campaignId) {
    return links.audienceOf(campaignId).orElse(null);
  }

  /** Makes the campaign enrol {@code audienceId}, or no audience when it is null. */
  public void set(String campaignId, String audienceId) {
    if (audienceId == null) {
      links.unlink(campaignId);
    } else {
      links.link(campaignId, audienceId);
    }
  }
}
