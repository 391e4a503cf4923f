package dev.sequencer.store.sender;

import dev.sequencer.store.Ids;
import dev.sequencer.store.campaign.Channel;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The senders of every organization. The unique (channel, address) key makes the first organization
 * to register an address its only owner, even when two register it at the same moment.
 */
@Repository
public class Senders {

  private static final String COLUMNS =
      "id, organization_id, channel, address, name, registered_by, created_at";

  private final JdbcClient jdbc;

  public Senders(JdbcClient jdbc) {
    this.jdbc = jdbc;
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
    Optional<RegisteredSender> created =
        jdbc.sql(
                "insert into senders (id, organization_id, channel, address, name, registered_by)"
                    + " values (?, ?, ?, ?, ?, ?) on conflict (channel, address) do nothing"
                    + " returning "
                    + COLUMNS)
            .params(Ids.next("snd"), organizationId, channel.name(), address, name, registeredBy)
            .query(Senders::map)
            .optional();
    if (created.isPresent()) {
      return new Registration.Owned(created.get(), true);
    }
    return byAddress(channel, address)
        .filter(existing -> existing.organizationId().equals(organizationId))
        .<Registration>map(existing -> new Registration.Owned(existing, false))
        .orElseGet(Registration.TakenByAnother::new);
  }

  public Optional<RegisteredSender> byAddress(Channel channel, String address) {
    return jdbc.sql("select " + COLUMNS + " from senders where channel = ? and address = ?")
        .params(channel.name(), address)
        .query(Senders::map)
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
        .query(Senders::map)
        .optional();
  }

  public List<RegisteredSender> list(String organizationId, int limit, long offset) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from senders where organization_id = ? order by created_at, id"
                + " limit ? offset ?")
        .params(organizationId, limit, offset)
        .query(Senders::map)
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
            "select id from campaigns where organization_id = ? and channel = ? and "
                + column
                + " = ? and status not in ('COMPLETED', 'CANCELLED') order by created_at limit 10")
        .params(sender.organizationId(), sender.channel().name(), sender.address())
        .query(String.class)
        .list();
  }

  public boolean delete(String organizationId, String id) {
    return jdbc.sql("delete from senders where id = ? and organization_id = ?")
            .params(id, organizationId)
            .update()
        > 0;
  }

  private static RegisteredSender map(ResultSet rs, int row) throws SQLException {
    return new RegisteredSender(
        rs.getString("id"),
        rs.getString("organization_id"),
        Channel.valueOf(rs.getString("channel")),
        rs.getString("address"),
        rs.getString("name"),
        rs.getString("registered_by"),
        rs.getTimestamp("created_at").toInstant());
  }
}
