package dev.sequencer.store.campaign;

import java.util.Optional;

/**
 * A campaign by id, as {@link CampaignRepository} reads it: the finders every send, plan and reply
 * calls, served from memory while the campaign's row is the one they were loaded from.
 */
public interface CampaignReads {

  Optional<Campaign> findById(String id);

  Optional<Campaign> findByIdAndOrganizationId(String id, String organizationId);
}
