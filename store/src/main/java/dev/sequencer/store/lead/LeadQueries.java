package dev.sequencer.store.lead;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads and state changes of leads that go beyond one aggregate. */
@Repository
public class LeadQueries {

  /** {@code paused_by} of a lead paused on its own (through its pause endpoint). */
  public static final String PAUSED_BY_LEAD = "lead";

  /** {@code paused_by} of a lead paused with its campaign: the campaign's resume resumes it. */
  public static final String PAUSED_BY_CAMPAIGN = "campaign";

  private static final String COLUMNS =
      "id, organization_id, campaign_id, lead_id, email, phone, first_name, last_name, company,"
          + " title, timezone, attributes, status, variant, workflow_id, created_at, updated_at,"
          + " sender_id, whatsapp";

  private final JdbcClient jdbc;

  public LeadQueries(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public List<Lead> page(String campaignId, LeadStatus status, int limit, long offset) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from leads where campaign_id = :campaign"
                + " and (cast(:status as text) is null or status = :status)"
                + " order by id limit :limit offset :offset")
        .param("campaign", campaignId)
        .param("status", status == null ? null : status.name())
        .param("limit", limit)
        .param("offset", offset)
        .query(LeadQueries::map)
        .list();
  }

  public long count(String campaignId, LeadStatus status) {
    return jdbc.sql(
            "select count(*) from leads where campaign_id = :campaign"
                + " and (cast(:status as text) is null or status = :status)")
        .param("campaign", campaignId)
        .param("status", status == null ? null : status.name())
        .query(Long.class)
        .single();
  }

  /** Leads by status, every status present (zero when none). */
  public Map<LeadStatus, Long> countsByStatus(String campaignId) {
    Map<LeadStatus, Long> counts = new LinkedHashMap<>();
    for (LeadStatus status : LeadStatus.values()) {
      counts.put(status, 0L);
    }
    jdbc.sql("select status, count(*) as n from leads where campaign_id = ? group by status")
        .param(campaignId)
        .query(
            (ResultSet rs) -> {
              counts.put(LeadStatus.valueOf(rs.getString("status")), rs.getLong("n"));
            });
    return counts;
  }

  /** The next pending leads of a campaign after {@code afterId}, in id order (for enrolment). */
  public List<Lead> pendingAfter(String campaignId, long afterId, int limit) {
    return pendingAfter(campaignId, afterId, limit, null);
  }

  /**
   * @param createdBefore only leads created before this instant; null for all
   */
  public List<Lead> pendingAfter(
      String campaignId, long afterId, int limit, java.time.Instant createdBefore) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from leads where campaign_id = ? and status = 'PENDING' and id > ?"
                + " and (cast(? as timestamptz) is null or created_at < ?)"
                + " order by id limit ?")
        .params(
            campaignId,
            afterId,
            createdBefore == null ? null : java.sql.Timestamp.from(createdBefore),
            createdBefore == null ? null : java.sql.Timestamp.from(createdBefore),
            limit)
        .query(LeadQueries::map)
        .list();
  }

  public void enrol(long id, LeadStatus status, String variant, String workflowId) {
    jdbc.sql(
            "update leads set status = ?, variant = ?, workflow_id = ?, updated_at = now()"
                + " where id = ? and status = 'PENDING'")
        .params(status.name(), variant, workflowId, id)
        .update();
  }

  /**
   * Records the variant before the lead's workflow starts, so its first plan uses the variant's
   * steps.
   */
  public void assignVariant(long id, String variant) {
    jdbc.sql("update leads set variant = ?, updated_at = now() where id = ?")
        .params(variant, id)
        .update();
  }

  /**
   * The lead, locked until the transaction ends: consent changes and sends serialise on it. {@code
   * FOR NO KEY UPDATE} rather than {@code FOR UPDATE}, so that rows referencing the lead (events,
   * messages, metrics) can still be written meanwhile: their foreign-key checks take a key-share
   * lock, which a full update lock would block, and a send would deadlock with its own bookkeeping.
   */
  public java.util.Optional<Lead> lock(String campaignId, String leadId) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from leads where campaign_id = ? and lead_id = ? for no key update")
        .params(campaignId, leadId)
        .query(LeadQueries::map)
        .optional();
  }

  /** The lead by its key, locked until the transaction ends. */
  public java.util.Optional<Lead> lock(long id) {
    return jdbc.sql("select " + COLUMNS + " from leads where id = ? for no key update")
        .param(id)
        .query(LeadQueries::map)
        .optional();
  }

  /** Every lead of the organization with this address or number whose sequence may still run. */
  public List<Lead> lockOpenByAddress(String organizationId, String email, String phone) {
    return lockOpenByAddress(organizationId, email, phone, null);
  }

  /** The open leads with any of these addresses, locked, by id. */
  public List<Lead> lockOpenByAddress(
      String organizationId, String email, String phone, String whatsapp) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from leads where organization_id = :org"
                + " and (email = :email or phone = :phone or whatsapp = :whatsapp)"
                + " and status in ('PENDING', 'ACTIVE', 'PAUSED') order by id for no key update")
        .param("org", organizationId)
        .param("email", email)
        .param("phone", phone)
        .param("whatsapp", whatsapp)
        .query(LeadQueries::map)
        .list();
  }

  /**
   * Leads of a campaign whose workflows may still run (cancelled ones included: their workflows
   * learn it from the broadcast), by id after {@code afterId}.
   */
  public List<Lead> runningAfter(String campaignId, long afterId, int limit) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from leads where campaign_id = ? and status in ('ACTIVE', 'PAUSED', 'CANCELLED')"
                + " and workflow_id is not null and id > ? order by id limit ?")
        .params(campaignId, afterId, limit)
        .query(LeadQueries::map)
        .list();
  }

  /**
   * Pauses every active lead of the campaign with it, in one statement, and writes each a timeline
   * entry. The store is what a send checks under its locks, so this is the whole of a campaign's
   * pause: a lead's workflow learns it when its next step falls due.
   *
   * @return how many leads were paused
   */
  public int pauseWithCampaign(String campaignId, String detail, Instant at) {
    return jdbc.sql(
            """
            with paused as (
                update leads set status = 'PAUSED', paused_by = :by, updated_at = now()
                where campaign_id = :campaign and status = 'ACTIVE'
                returning id, organization_id, campaign_id)
            insert into lead_events (organization_id, campaign_id, lead_pk, event, detail, at)
            select organization_id, campaign_id, id, 'paused', :detail, :at from paused
            """)
        .param("by", PAUSED_BY_CAMPAIGN)
        .param("campaign", campaignId)
        .param("detail", detail)
        .param("at", java.sql.Timestamp.from(at))
        .update();
  }

  /**
   * Resumes the leads that were paused with their campaign; leads that support paused on their own
   * stay paused.
   *
   * @return how many leads were resumed
   */
  public int resumeWithCampaign(String campaignId, String detail, Instant at) {
    return jdbc.sql(
            """
            with resumed as (
                update leads set status = 'ACTIVE', paused_by = null, updated_at = now()
                where campaign_id = :campaign and status = 'PAUSED' and paused_by = :by
                returning id, organization_id, campaign_id)
            insert into lead_events (organization_id, campaign_id, lead_pk, event, detail, at)
            select organization_id, campaign_id, id, 'resumed', :detail, :at from resumed
            """)
        .param("by", PAUSED_BY_CAMPAIGN)
        .param("campaign", campaignId)
        .param("detail", detail)
        .param("at", java.sql.Timestamp.from(at))
        .update();
  }

  /**
   * Active leads of the campaign whose workflow waits on a pause: a step fell due while they were
   * paused, and the send recorded it waiting ({@code reason = 'paused'}, no time). Only these need
   * a signal when the campaign resumes; the others' timers have not fired yet and find the campaign
   * running when they do. By id after {@code afterId}.
   */
  public List<Lead> waitingOnPauseAfter(String campaignId, long afterId, int limit) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from leads l where campaign_id = ? and status = 'ACTIVE'"
                + " and workflow_id is not null and id > ? and exists (select 1 from lead_steps s"
                + " where s.lead_pk = l.id and s.status = 'scheduled' and s.scheduled_at is null"
                + " and s.reason = 'paused') order by id limit ?")
        .params(campaignId, afterId, limit)
        .query(LeadQueries::map)
        .list();
  }

  /** Ends every lead of the campaign that has not ended yet; returns how many. */
  public int cancelOpen(String campaignId) {
    return jdbc.sql(
            "update leads set status = 'CANCELLED', updated_at = now() where campaign_id = ?"
                + " and status in ('PENDING', 'ACTIVE', 'PAUSED')")
        .param(campaignId)
        .update();
  }

  /**
   * Leads that were messaged at this address or number, newest first: the candidates for a reply
   * that quotes none of our Message-IDs.
   *
   * @param organizationId only this organization's leads, or null for any
   * @param mailbox only campaigns sending from or replying to this address, or null for any
   * @param channel {@code EMAIL} (address is an email address) or {@code SMS} (an E.164 number)
   */
  public List<Lead> messagedAt(
      String organizationId, String mailbox, String channel, String address) {
    // The address column and the optional filters spelled out, not chosen inside the SQL: a CASE
    // or an "is null or" would keep PostgreSQL from the address index and scan every lead.
    String column = "EMAIL".equals(channel) ? "l.email" : "l.phone";
    return jdbc.sql(
            "select "
                + COLUMNS.replaceAll("(^|, )", "$1l.")
                + " from leads l join campaigns c on c.id = l.campaign_id"
                + " where "
                + column
                + " = :address and c.channel = :channel"
                + (organizationId == null ? "" : " and l.organization_id = :org")
                + (mailbox == null
                    ? ""
                    : " and (c.sender_email = :mailbox or c.sender_reply_to = :mailbox)")
                + " and exists (select 1 from messages m where m.lead_pk = l.id)"
                + " order by l.updated_at desc limit 50")
        .param("channel", channel)
        .param("address", address)
        .param("org", organizationId)
        .param("mailbox", mailbox)
        .query(LeadQueries::map)
        .list();
  }

  /**
   * The other open leads of a campaign at the same company: the same email domain (when it is not a
   * free mail provider's) or the same company name.
   */
  public List<Lead> openAtSameCompany(Lead lead, String domain, boolean matchDomain) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from leads where campaign_id = :campaign and id <> :id"
                + " and status in ('PENDING', 'ACTIVE', 'PAUSED')"
                + " and ((:matchDomain and email like :domainPattern)"
                + "      or (cast(:company as text) is not null"
                + "          and lower(company) = lower(cast(:company as text))))")
        .param("campaign", lead.campaignId())
        .param("id", lead.id())
        .param("matchDomain", matchDomain)
        .param("domainPattern", "%@" + (domain == null ? "" : domain))
        .param(
            "company", lead.company() == null || lead.company().isBlank() ? null : lead.company())
        .query(LeadQueries::map)
        .list();
  }

  /**
   * Gives every open lead of the campaign whose hook has not gone out the winning variant; the
   * holdout (no variant) stays out.
   *
   * @return how many leads were switched
   */
  public int switchUnsentTo(String campaignId, String variant) {
    return jdbc.sql(
            "update leads set variant = :variant, updated_at = now() where campaign_id = :campaign"
                + " and status in ('PENDING', 'ACTIVE', 'PAUSED') and variant is not null"
                + " and variant <> :variant and not exists (select 1 from messages m"
                + " where m.lead_pk = leads.id and m.step_type = 'hook')")
        .param("variant", variant)
        .param("campaign", campaignId)
        .update();
  }

  /**
   * Pauses a lead unless it already reached a final status, recording who paused it.
   *
   * @param by {@link #PAUSED_BY_LEAD} when the lead was paused on its own
   */
  public boolean pause(long id, String by) {
    return jdbc.sql(
                "update leads set status = 'PAUSED', paused_by = ?, updated_at = now() where id = ?"
                    + " and status not in ('HOLDOUT', 'SUPPRESSED', 'REPLIED', 'OPTED_OUT',"
                    + " 'BOUNCED', 'FAILED', 'COMPLETED', 'CANCELLED')")
            .params(by, id)
            .update()
        > 0;
  }

  /** Who paused the lead ({@link #PAUSED_BY_LEAD}, {@link #PAUSED_BY_CAMPAIGN}), or null. */
  public String pausedBy(long id) {
    return jdbc.sql("select paused_by from leads where id = ? and status = 'PAUSED'")
        .param(id)
        .query(String.class)
        .optional()
        .orElse(null);
  }

  /**
   * Moves a lead to {@code status} unless it already reached a final status; whoever paused it no
   * longer matters.
   */
  public boolean transition(long id, LeadStatus status) {
    return jdbc.sql(
                "update leads set status = ?, paused_by = null, updated_at = now() where id = ?"
                    + " and status not in ('HOLDOUT', 'SUPPRESSED', 'REPLIED', 'OPTED_OUT',"
                    + " 'BOUNCED', 'FAILED', 'COMPLETED', 'CANCELLED')")
            .params(status.name(), id)
            .update()
        > 0;
  }

  /**
   * The lead an SMS from {@code phone} to {@code senderPhone} answers, in the organization: among
   * its leads with that number in SMS campaigns sending from that number, one whose sequence is
   * open (pending, active, paused) before one that has ended, and among those the most recently
   * messaged. A lead whose sequence has ended counts only if it was messaged (a reply to the last
   * step arrives after the sequence completed).
   */
  public java.util.Optional<Lead> smsReplyTarget(
      String organizationId, String phone, String senderPhone) {
    return textReplyTarget(organizationId, "SMS", phone, senderPhone);
  }

  /**
   * The lead a text answers: one with that number on the channel (SMS or WHATSAPP) in a campaign
   * that texts on it from {@code senderPhone}; an open one first, else the one texted last.
   */
  public java.util.Optional<Lead> textReplyTarget(
      String organizationId, String channel, String number, String senderPhone) {
    String column = "WHATSAPP".equals(channel) ? "whatsapp" : "phone";
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from leads where id = (select l.id from leads l"
                + " join campaigns c on c.id = l.campaign_id"
                + " where l.organization_id = :org and l."
                + column
                + " = :phone and (c.channel = :channel or exists (select 1 from campaign_steps s"
                + " where s.campaign_id = c.id and (s.channel = :channel"
                + " or (' ' || s.fallback || ' ') like '% ' || lower(:channel) || ' %')))"
                + " and c.sender_phone = :sender"
                + " and (l.status in ('PENDING', 'ACTIVE', 'PAUSED') or exists (select 1 from"
                + " messages m where m.lead_pk = l.id and m.sent_at is not null))"
                + " order by case when l.status in ('PENDING', 'ACTIVE', 'PAUSED') then 0 else 1"
                + " end, (select max(m.sent_at) from messages m where m.lead_pk = l.id) desc nulls"
                + " last, l.id desc limit 1)")
        .param("org", organizationId)
        .param("phone", number)
        .param("channel", channel)
        .param("sender", senderPhone)
        .query(LeadQueries::map)
        .optional();
  }

  /**
   * Serialises consent changes of one address of the organization until the transaction ends (a
   * transaction-level advisory lock), so that of two concurrent opt-outs exactly one finds the
   * address not yet suppressed. Call it inside a transaction.
   */
  /** Which of {@code addresses} (emails, or phone numbers) leads of the campaign already have. */
  public java.util.Set<String> addressesAmong(
      String campaignId, boolean email, List<String> addresses) {
    if (addresses.isEmpty()) {
      return java.util.Set.of();
    }
    String column = email ? "email" : "phone";
    // One probe of the address index per address: a list compared with every lead of the campaign
    // costs the size of both, and an import's own batches make the campaign grow as it goes.
    return new java.util.HashSet<>(
        jdbc.sql(
                "select a.address from unnest(cast(:addresses as text[])) as a(address)"
                    + " where exists (select 1 from leads l where l."
                    + column
                    + " = a.address and l.campaign_id = :campaign)")
            .param("campaign", campaignId)
            .param("addresses", addresses.toArray(String[]::new))
            .query(String.class)
            .list());
  }

  /** Whether the campaign has any lead. */
  public boolean hasLeads(String campaignId) {
    return jdbc.sql("select exists (select 1 from leads where campaign_id = ?)")
        .param(campaignId)
        .query(Boolean.class)
        .single();
  }

  public void lockAddress(String organizationId, String channel, String address) {
    jdbc.sql("select 1 from (select pg_advisory_xact_lock(hashtextextended(?, 0))) as locked")
        .param("consent:" + organizationId + ":" + channel + ":" + address)
        .query(Integer.class)
        .single();
  }

  /**
   * Moves the step that sent {@code messageId} from {@code sent} to {@code status} ({@code
   * delivered} or {@code failed}) when the provider reports the message's fate.
   *
   * @return whether a step changed
   */
  public boolean markStepOfMessage(String messageId, String status, String reason) {
    return jdbc.sql(
                "update lead_steps set status = ?, reason = ?, updated_at = now()"
                    + " where message_id = ? and status = 'sent'")
            .params(status, reason, messageId)
            .update()
        > 0;
  }

  /** How many of the campaign's leads each sender has, for a balanced choice of the next. */
  public java.util.Map<String, Long> senderCounts(String campaignId) {
    java.util.Map<String, Long> counts = new java.util.HashMap<>();
    jdbc.sql(
            "select sender_id, count(*) from leads where campaign_id = ? and sender_id is not null"
                + " group by sender_id")
        .param(campaignId)
        .query(
            rs -> {
              counts.put(rs.getString(1), rs.getLong(2));
            });
    return counts;
  }

  /** The workflows of the sender's active leads whose next step waits for the sender. */
  public List<String> workflowsWaitingForSender(String senderId) {
    return jdbc.sql(
            "select l.workflow_id from leads l where l.sender_id = ? and l.status = 'ACTIVE'"
                + " and l.workflow_id is not null and exists (select 1 from lead_steps s"
                + " where s.lead_pk = l.id and s.status = 'scheduled'"
                + " and s.reason = 'sender_paused')")
        .param(senderId)
        .query(String.class)
        .list();
  }

  /** Whose in-app inbox the lead's messages land in: its contact's id, else its own lead id. */
  public String inboxAddressOf(long leadPk) {
    return jdbc.sql(
            "select coalesce(c.contact_id, l.lead_id) from leads l"
                + " left join contacts c on c.id = l.contact_pk where l.id = ?")
        .param(leadPk)
        .query(String.class)
        .single();
  }

  static Lead map(ResultSet rs, int row) throws SQLException {
    return new Lead(
        rs.getLong("id"),
        rs.getString("organization_id"),
        rs.getString("campaign_id"),
        rs.getString("lead_id"),
        rs.getString("email"),
        rs.getString("phone"),
        rs.getString("first_name"),
        rs.getString("last_name"),
        rs.getString("company"),
        rs.getString("title"),
        rs.getString("timezone"),
        rs.getString("attributes"),
        LeadStatus.valueOf(rs.getString("status")),
        rs.getString("variant"),
        rs.getString("workflow_id"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        rs.getString("sender_id"),
        rs.getString("whatsapp"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    var ts = rs.getTimestamp(column);
    return ts == null ? null : ts.toInstant();
  }
}
