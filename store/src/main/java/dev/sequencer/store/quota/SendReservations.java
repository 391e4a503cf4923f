package dev.sequencer.store.quota;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Slots of a campaign's daily capacity held by steps that wait for them, keyed like the message the
 * step will become, so the send uses the unit its step reserved rather than taking another.
 */
@Repository
public class SendReservations {

  /**
   * A step's slot: the days whose units it holds and the instant it may go out.
   *
   * @param day the campaign's day, or null when the campaign has no daily limit
   * @param senderId the sender whose unit it holds, or null
   * @param senderDay that sender's day, in the sender's zone
   * @param quotaKey whose daily units it holds ({@link QuotaKeys}); null for the campaign's own
   */
  public record Reservation(
      String key,
      String campaignId,
      long leadPk,
      LocalDate day,
      Instant at,
      String senderId,
      LocalDate senderDay,
      String quotaKey) {

    public Reservation(
        String key,
        String campaignId,
        long leadPk,
        LocalDate day,
        Instant at,
        String senderId,
        LocalDate senderDay) {
      this(key, campaignId, leadPk, day, at, senderId, senderDay, null);
    }

    /** The key its day's unit is counted under. */
    public String dayQuotaKey() {
      return quotaKey == null ? campaignId : quotaKey;
    }
  }

  private static final String COLUMNS =
      "idempotency_key, campaign_id, lead_pk, day, slot_at, sender_id, sender_day, quota_key";

  private final JdbcClient jdbc;

  public SendReservations(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<Reservation> of(String key) {
    return jdbc.sql("select " + COLUMNS + " from send_reservations" + " where idempotency_key = ?")
        .param(key)
        .query(SendReservations::map)
        .optional();
  }

  /** Every slot the campaign's steps hold now. */
  public List<Reservation> ofCampaign(String campaignId) {
    return jdbc.sql("select " + COLUMNS + " from send_reservations" + " where campaign_id = ?")
        .param(campaignId)
        .query(SendReservations::map)
        .list();
  }

  public void hold(Reservation reservation) {
    jdbc.sql(
            """
            insert into send_reservations
                (idempotency_key, campaign_id, lead_pk, day, slot_at, sender_id, sender_day,
                 quota_key)
            values (?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (idempotency_key) do update set day = excluded.day,
                   slot_at = excluded.slot_at, sender_id = excluded.sender_id,
                   sender_day = excluded.sender_day, quota_key = excluded.quota_key,
                   created_at = now()
            """)
        .params(
            reservation.key(),
            reservation.campaignId(),
            reservation.leadPk(),
            reservation.day(),
            Timestamp.from(reservation.at()),
            reservation.senderId(),
            reservation.senderDay(),
            reservation.quotaKey())
        .update();
  }

  /** Ends the reservation of the step as it is used; the unit now belongs to its message. */
  public Optional<Reservation> use(String key) {
    return jdbc.sql(
            "delete from send_reservations where idempotency_key = ?" + " returning " + COLUMNS)
        .param(key)
        .query(SendReservations::map)
        .optional();
  }

  /** Ends every reservation of a lead whose sequence ended, and says which units to give back. */
  public List<Reservation> dropAll(long leadPk) {
    return jdbc.sql("delete from send_reservations where lead_pk = ?" + " returning " + COLUMNS)
        .param(leadPk)
        .query(SendReservations::map)
        .list();
  }

  private static Reservation map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new Reservation(
        rs.getString("idempotency_key"),
        rs.getString("campaign_id"),
        rs.getLong("lead_pk"),
        rs.getObject("day", LocalDate.class),
        rs.getTimestamp("slot_at").toInstant(),
        rs.getString("sender_id"),
        rs.getObject("sender_day", LocalDate.class),
        rs.getString("quota_key"));
  }
}
