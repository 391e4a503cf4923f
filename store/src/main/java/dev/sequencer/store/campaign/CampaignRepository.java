package dev.sequencer.store.campaign;

import java.util.Optional;
import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

public interface CampaignRepository extends ListCrudRepository<Campaign, String>, CampaignReads {

  /** Declared here to pick {@link CampaignReads}' finder over the inherited one. */
  @Override
  Optional<Campaign> findById(String id);

  /**
   * Locks the campaign row until the transaction ends. Sends hold a share lock on it while they
   * check consent and hand the message over, so a pause or cancel waits for sends in flight.
   */
  @Query("select status from campaigns where id = :id for no key update")
  Optional<CampaignStatus> lockStatus(String id);

  /** The campaign's status as last committed, without a lock. */
  @Query("select status from campaigns where id = :id")
  Optional<CampaignStatus> findStatus(String id);

  /** The campaign's id if it belongs to the organization: for calls that need nothing more. */
  @Query("select id from campaigns where id = :id and organization_id = :organizationId")
  Optional<String> findIdOfOrganization(String id, String organizationId);

  /** A share lock on the campaign row, held by a send from its consent check to its hand-over. */
  @Query("select status from campaigns where id = :id for share")
  Optional<CampaignStatus> lockStatusShared(String id);

  /** Completes a running campaign whose leads have all finished; returns rows changed (0 or 1). */
  @Modifying
  @Query(
      "update campaigns set status = 'COMPLETED', updated_at = now(), version = version + 1"
          + " where id = :id and status = 'RUNNING'"
          + " and exists (select 1 from leads where campaign_id = :id)"
          + " and not exists (select 1 from leads where campaign_id = :id"
          + " and status in ('PENDING', 'ACTIVE', 'PAUSED'))")
  int completeIfDone(String id);

  @Modifying
  @Query(
      "update campaigns set status = :status, cancel_reason = coalesce(:reason, cancel_reason),"
          + " updated_at = now(), version = version + 1 where id = :id")
  void updateStatus(String id, String status, String reason);

  /** Pauses a scheduled or running campaign, saying why; false when it was neither. */
  @Modifying
  @Query(
      "update campaigns set status = 'PAUSED', pause_reason = :reason, updated_at = now(),"
          + " version = version + 1 where id = :id and status in ('SCHEDULED', 'RUNNING')")
  boolean pauseWithReason(String id, String reason);

  @Modifying
  @Query("update campaigns set pause_reason = null where id = :id")
  void clearPauseReason(String id);
}
