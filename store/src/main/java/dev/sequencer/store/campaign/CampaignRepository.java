package dev.sequencer.store.campaign;

import java.util.Optional;
import org.springframework.data.repository.ListCrudRepository;

public interface CampaignRepository extends ListCrudRepository<Campaign, String> {

  Optional<Campaign> findByIdAndOrganizationId(String id, String organizationId);
}
