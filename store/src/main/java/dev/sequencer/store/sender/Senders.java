package dev.sequencer.store.sender;

import dev.sequencer.store.Ids;
import dev.sequencer.store.campaign.Channel;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The senders of every organization. The unique (channel, address) key makes the first organization
 * to register an address its only owner, even when two register it at the same moment.
 */
@Repository
public class Senders {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Senders.class);

  private static final String COLUMNS =
      "id, organization_id, channel, address, name, registered_by, created_at, daily_limit,"
          + " ramp_start, ramp_increase, ramp_from, min_spacing_seconds, timezone, status,"
          + " pause_reason, paused_by, smtp_host, smtp_port, smtp_username, smtp_password_sealed,"
          + " smtp_starttls, imap_host, imap_port, imap_username, imap_password_sealed, imap_ssl,"
          + " dkim_domain, dkim_selector, dkim_key_sealed";

  private static final String SETTINGS =
      "daily_limit = :daily_limit, ramp_start = :ramp_start, ramp_increase = :ramp_increase,"
          + " ramp_from = :ramp_from, min_spacing_seconds = :min_spacing, timezone = :timezone,"
          + " smtp_host = :smtp_host, smtp_port = :smtp_port, smtp_username = :smtp_username,"
          + " smtp_password_sealed = :smtp_password, smtp_starttls = :smtp_starttls,"
          + " imap_host = :imap_host, imap_port = :imap_port, imap_username = :imap_username,"
          + " imap_password_sealed = :imap_password, imap_ssl = :imap_ssl,"
          + " dkim_domain = :dkim_domain, dkim_selector = :dkim_selector,"
          + " dkim_key_sealed = :dkim_key";

  private final JdbcClient jdbc;
  private final SecretBox secrets;

  public Senders(JdbcClient jdbc, SecretBox secrets) {
    this.jdbc = jdbc;
    this.secrets = secrets;
  }

  /** What registering an address came to. */
  public sealed interface Registration {
    /** The organization's sender now, new or registered before. */
    record Owned(RegisteredSender sender, boolean created) implements Registration {}

    /** Another organization registered it. */
    record TakenByAnother() implements Registration {}
  }

  public Registration register(
      String organizationId, Channel channel, String address, String name, String registeredBy) {
    return register(
        organizationId, channel, address, name, registeredBy, RegisteredSender.Settings.none());
  }

  public Registration register(
      String organizationId,
      Channel channel,
      String address,
      String name,
      String registeredBy,
      RegisteredSender.Settings settings) {
    Optional<RegisteredSender> created =
        jdbc.sql(
                "insert into senders (id, organization_id, channel, address, name, registered_by)"
                    + " values (:id, :org, :channel, :address, :name, :by)"
                    + " on conflict (channel, address) do nothing returning id")
            .param("id", Ids.next("snd"))
            .param("org", organizationId)
            .param("channel", channel.name())
            .param("address", address)
            .param("name", name)
            .param("by", registeredBy)
            .query(String.class)
            .optional()
            .map(
                id -> {
                  writeSettings(id, settings);
                  return find(organizationId, id).orElseThrow();
                });
    if (created.isPresent()) {
      return new Registration.Owned(created.get(), true);
    }
    return byAddress(channel, address)
        .filter(existing -> existing.organizationId().equals(organizationId))
        .<Registration>map(existing -> new Registration.Owned(existing, false))
        .orElseGet(Registration.TakenByAnother::new);
  }

  /** Replaces the name and settings of the organization's sender; false when it has none such. */
  public boolean update(
      String organizationId, String id, String name, RegisteredSender.Settings settings) {
    int changed =
        jdbc.sql(
                "update senders set name = ?, updated_at = now() where id = ?"
                    + " and organization_id = ?")
            .params(name, id, organizationId)
            .update();
    if (changed > 0) {
      writeSettings(id, settings);
    }
    return changed > 0;
  }

  private void writeSettings(String id, RegisteredSender.Settings settings) {
    SenderCapacity capacity = settings.capacity();
    SmtpSettings smtp = settings.smtp();
    ImapSettings imap = settings.imap();
    DkimSettings dkim = settings.dkim();
    jdbc.sql("update senders set " + SETTINGS + " where id = :id")
        .param("id", id)
        .param("daily_limit", capacity.dailyLimit())
        .param("ramp_start", capacity.rampStart())
        .param("ramp_increase", capacity.rampIncrease())
        .param("ramp_from", capacity.rampFrom())
        .param("min_spacing", capacity.minSpacingSeconds())
        .param("timezone", capacity.timezone())
        .param("smtp_host", smtp == null ? null : smtp.host())
        .param("smtp_port", smtp == null ? null : smtp.port())
        .param("smtp_username", smtp == null ? null : smtp.username())
        .param("smtp_password", smtp == null ? null : secrets.seal(smtp.password()))
        .param("smtp_starttls", smtp == null ? null : smtp.starttls())
        .param("imap_host", imap == null ? null : imap.host())
        .param("imap_port", imap == null ? null : imap.port())
        .param("imap_username", imap == null ? null : imap.username())
        .param("imap_password", imap == null ? null : secrets.seal(imap.password()))
        .param("imap_ssl", imap == null ? null : imap.ssl())
        .param("dkim_domain", dkim == null ? null : dkim.domain())
        .param("dkim_selector", dkim == null ? null : dkim.selector())
        .param("dkim_key", dkim == null ? null : secrets.seal(dkim.privateKeyPem()))
        .update();
  }

  /**
   * Pauses an active sender; false when it was paused already (the first reason stays).
   *
   * @param by {@code person} or {@code auto}
   */
  public boolean pause(String id, String reason, String by) {
    return jdbc.sql(
                "update senders set status = 'PAUSED', pause_reason = ?, paused_by = ?,"
                    + " updated_at = now() where id = ? and status = 'ACTIVE'")
            .params(reason, by, id)
            .update()
        > 0;
  }

  /** Resumes a paused sender of the organization; false when it was not paused. */
  public boolean resume(String organizationId, String id) {
    return jdbc.sql(
                "update senders set status = 'ACTIVE', pause_reason = null, paused_by = null,"
                    + " updated_at = now() where id = ? and organization_id = ?"
                    + " and status = 'PAUSED'")
            .params(id, organizationId)
            .update()
        > 0;
  }

  /** The organization's senders among {@code ids}, by id. */
  public Map<String, RegisteredSender> byIds(String organizationId, Collection<String> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    return jdbc
        .sql("select " + COLUMNS + " from senders where organization_id = :org and id in (:ids)")
        .param("org", organizationId)
        .param("ids", List.copyOf(ids))
        .query(this::map)
        .list()
        .stream()
        .collect(java.util.stream.Collectors.toMap(RegisteredSender::id, s -> s));
  }

  /** Every email sender registered with an IMAP mailbox of its own, whatever its organization. */
  public List<RegisteredSender> withOwnMailbox() {
    return jdbc.sql(
            "select " + COLUMNS + " from senders where channel = 'EMAIL' and imap_host is not null")
        .query(this::map)
        .list();
  }

  /** A sender by id alone, for the workers that act for whichever organization owns it. */
  public Optional<RegisteredSender> byId(String id) {
    return jdbc.sql("select " + COLUMNS + " from senders where id = ?")
        .param(id)
        .query(this::map)
        .optional();
  }

  public Optional<RegisteredSender> byAddress(Channel channel, String address) {
    return jdbc.sql("select " + COLUMNS + " from senders where channel = ? and address = ?")
        .params(channel.name(), address)
        .query(this::map)
        .optional();
  }

  /** The organization an address or number belongs to, if any registered it. */
  public Optional<String> ownerOf(Channel channel, String address) {
    return byAddress(channel, address).map(RegisteredSender::organizationId);
  }

  /**
   * The one organization a mailbox's mail belongs to: the owner of the sender address, else the
   * only organization whose campaigns name it as their reply-to address. Empty for a mailbox that
   * several organizations reply to, or none: there only a quoted Message-ID tells whose mail it is.
   */
  public Optional<String> organizationOfMailbox(String address) {
    Optional<String> owner = ownerOf(Channel.EMAIL, address);
    if (owner.isPresent()) {
      return owner;
    }
    List<String> replyingHere =
        jdbc.sql(
                "select distinct organization_id from campaigns where channel = 'EMAIL'"
                    + " and sender_reply_to = ? limit 2")
            .param(address)
            .query(String.class)
            .list();
    return replyingHere.size() == 1 ? Optional.of(replyingHere.get(0)) : Optional.empty();
  }

  public Optional<RegisteredSender> find(String organizationId, String id) {
    return jdbc.sql("select " + COLUMNS + " from senders where id = ? and organization_id = ?")
        .params(id, organizationId)
        .query(this::map)
        .optional();
  }

  public List<RegisteredSender> list(String organizationId, int limit, long offset) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from senders where organization_id = ? order by created_at, id"
                + " limit ? offset ?")
        .params(organizationId, limit, offset)
        .query(this::map)
        .list();
  }

  public long count(String organizationId) {
    return jdbc.sql("select count(*) from senders where organization_id = ?")
        .param(organizationId)
        .query(Long.class)
        .single();
  }

  /** The organization's campaigns that have not ended and send from the sender. */
  public List<String> campaignsUsing(RegisteredSender sender) {
    String column = sender.channel() == Channel.EMAIL ? "lower(sender_email)" : "sender_phone";
    return jdbc.sql(
            "select id from campaigns where organization_id = ? and channel = ? and ("
                + column
                + " = ? or ' ' || sender_pool || ' ' like '% ' || ? || ' %')"
                + " and status not in ('COMPLETED', 'CANCELLED') order by created_at limit 10")
        .params(sender.organizationId(), sender.channel().name(), sender.address(), sender.id())
        .query(String.class)
        .list();
  }

  public boolean delete(String organizationId, String id) {
    return jdbc.sql("delete from senders where id = ? and organization_id = ?")
            .params(id, organizationId)
            .update()
        > 0;
  }

  /**
   * A sealed secret, opened; null when it cannot be opened (the secrets key changed): the sender
   * still lists, and its own SMTP or IMAP login fails until the secret is set again.
   */
  private String open(ResultSet rs, String column) throws SQLException {
    try {
      return secrets.open(rs.getString(column));
    } catch (IllegalStateException e) {
      log.warn("sender {}: {} ({})", rs.getString("id"), e.getMessage(), column);
      return null;
    }
  }

  private RegisteredSender map(ResultSet rs, int row) throws SQLException {
    SenderCapacity capacity =
        new SenderCapacity(
            (Integer) rs.getObject("daily_limit"),
            (Integer) rs.getObject("ramp_start"),
            (Integer) rs.getObject("ramp_increase"),
            rs.getObject("ramp_from", LocalDate.class),
            (Integer) rs.getObject("min_spacing_seconds"),
            rs.getString("timezone"));
    SmtpSettings smtp =
        rs.getString("smtp_host") == null
            ? null
            : new SmtpSettings(
                rs.getString("smtp_host"),
                rs.getInt("smtp_port"),
                rs.getString("smtp_username"),
                open(rs, "smtp_password_sealed"),
                rs.getBoolean("smtp_starttls"));
    ImapSettings imap =
        rs.getString("imap_host") == null
            ? null
            : new ImapSettings(
                rs.getString("imap_host"),
                rs.getInt("imap_port"),
                rs.getString("imap_username"),
                open(rs, "imap_password_sealed"),
                rs.getBoolean("imap_ssl"));
    DkimSettings dkim =
        rs.getString("dkim_domain") == null
            ? null
            : new DkimSettings(
                rs.getString("dkim_domain"),
                rs.getString("dkim_selector"),
                open(rs, "dkim_key_sealed"));
    return new RegisteredSender(
        rs.getString("id"),
        rs.getString("organization_id"),
        Channel.valueOf(rs.getString("channel")),
        rs.getString("address"),
        rs.getString("name"),
        rs.getString("registered_by"),
        rs.getTimestamp("created_at").toInstant(),
        capacity,
        SenderStatus.valueOf(rs.getString("status")),
        rs.getString("pause_reason"),
        rs.getString("paused_by"),
        smtp,
        imap,
        dkim);
  }
}
