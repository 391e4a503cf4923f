package dev.sequencer.store.lead;

import java.util.Optional;
import org.springframework.data.repository.ListCrudRepository;

public interface LeadRepository extends ListCrudRepository<Lead, Long> {

  Optional<Lead> findByCampaignIdAndLeadId(String campaignId, String leadId);
}
