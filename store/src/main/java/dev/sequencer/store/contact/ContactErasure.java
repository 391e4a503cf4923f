package dev.sequencer.store.contact;

import dev.sequencer.store.suppression.SuppressionHash;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Erases a contact: its row and events go, and every other place that holds its personal data keeps
 * the record without it. Leads that are the contact (see {@link ContactRecords#leadKeys}) lose
 * their fields and get a random id; their messages, timelines, step reasons and links are replaced
 * by {@link #ERASED}; the replies that came from its addresses and the audit log's paths that name
 * it are blanked; suppression entries keep the address only as its {@link SuppressionHash}, so it
 * is still never messaged. Counts (statuses, metrics) stay.
 */
@Repository
public class ContactErasure {

  /** What replaces erased text. */
  public static final String ERASED = "[erased]";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** What was erased: the leads that were the contact, by key. */
  public record Erased(long contactPk, List<Long> leadKeys) {}

  private record LinkedLead(
      long pk,
      String campaignId,
      String leadId,
      String email,
      String phone,
      String firstName,
      String lastName,
      String company,
      String workflowId,
      String whatsapp) {}

  private final JdbcClient jdbc;
  private final Contacts contacts;

  public ContactErasure(JdbcClient jdbc, Contacts contacts) {
    this.jdbc = jdbc;
    this.contacts = contacts;
  }

  /**
   * Erases the organization's contact in one transaction; empty when it has no such contact. Leads
   * still open are cancelled in the store (the caller stops their workflows beforehand).
   */
  @Transactional
  public Optional<Erased> erase(String organizationId, String contactId) {
    Optional<Contact> found =
        jdbc.sql(
                "select "
                    + Contacts.COLUMNS
                    + " from contacts where organization_id = ? and contact_id = ? for update")
            .params(organizationId, contactId)
            .query(contacts::contactOf)
            .optional();
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Contact contact = found.get();
    List<LinkedLead> leads =
        jdbc.sql(
                "select id, campaign_id, lead_id, email, phone, first_name, last_name, company,"
                    + " workflow_id, whatsapp from leads where organization_id = :org"
                    + " and (contact_pk = :pk or email = :email or phone = :phone"
                    + " or whatsapp = :whatsapp)"
                    + " order by id for update")
            .param("org", organizationId)
            .param("pk", contact.pk())
            .param("email", contact.email())
            .param("phone", contact.phone())
            .param("whatsapp", contact.whatsapp())
            .query(
                (rs, i) ->
                    new LinkedLead(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getString(9),
                        rs.getString(10)))
            .list();

    Set<String> emails = new LinkedHashSet<>();
    Set<String> phones = new LinkedHashSet<>();
    Set<String> texts = new LinkedHashSet<>();
    addIfPresent(emails, contact.email());
    addIfPresent(phones, contact.phone());
    addIfPresent(phones, contact.whatsapp());
    addIfPresent(texts, contact.contactId());
    addIfPresent(texts, contact.firstName());
    addIfPresent(texts, contact.lastName());
    addIfPresent(texts, contact.company());
    for (LinkedLead lead : leads) {
      addIfPresent(emails, lead.email());
      addIfPresent(phones, lead.phone());
      addIfPresent(phones, lead.whatsapp());
      addIfPresent(texts, lead.leadId());
      addIfPresent(texts, lead.firstName());
      addIfPresent(texts, lead.lastName());
      addIfPresent(texts, lead.company());
    }
    List<String> addresses = new ArrayList<>(emails);
    addresses.addAll(phones);
    texts.addAll(addresses);
    String[] textPatterns = ContactRecords.patterns(texts).toArray(String[]::new);

    for (LinkedLead lead : leads) {
      eraseLead(organizationId, lead, textPatterns);
    }
    eraseEvents(organizationId, contact, addresses);
    eraseInbound(organizationId, addresses);
    for (String email : emails) {
      hashSuppression(organizationId, "EMAIL", email);
    }
    for (String phone : phones) {
      hashSuppression(organizationId, "SMS", phone);
      hashSuppression(organizationId, "WHATSAPP", phone);
    }
    // The in-app inbox and WhatsApp's conversation windows name the person too.
    List<Long> leadKeys = new ArrayList<>(leads.stream().map(LinkedLead::pk).toList());
    leadKeys.add(-1L);
    jdbc.sql(
            "delete from inbox_messages where organization_id = :org and (contact_id = :contact"
                + " or message_id in (select id from messages where lead_pk in (:leads)))")
        .param("org", organizationId)
        .param("contact", contact.contactId())
        .param("leads", leadKeys)
        .update();
    if (!phones.isEmpty()) {
      jdbc.sql(
              "delete from whatsapp_sessions where organization_id = :org and address in (:phones)")
          .param("org", organizationId)
          .param("phones", phones)
          .update();
    }
    eraseFromAuditLog(organizationId, "/contacts/", contact.contactId());
    for (String address : addresses) {
      jdbc.sql(
              "update audit_log set path = regexp_replace(path, :pattern, :erased, 'gi'),"
                  + " target = regexp_replace(target, :pattern, :erased, 'gi')"
                  + " where organization_id = :org and (path ~* :pattern or target ~* :pattern)")
          .param("org", organizationId)
          .param("pattern", inPath(address))
          .param("erased", ERASED)
          .update();
    }
    jdbc.sql(
            """
            update audiences
               set definition = jsonb_set(definition, '{static_members}',
                       coalesce((select jsonb_agg(m) from jsonb_array_elements(
                                     definition -> 'static_members') m
                                 where m #>> '{}' <> cast(:id as text)), '[]'::jsonb))
             where organization_id = :org
               and jsonb_typeof(definition -> 'static_members') = 'array'
               and definition -> 'static_members' @> jsonb_build_array(cast(:id as text))
            """)
        .param("org", organizationId)
        .param("id", contact.contactId())
        .update();
    jdbc.sql("delete from contacts where id = ?").param(contact.pk()).update();
    return Optional.of(new Erased(contact.pk(), leads.stream().map(LinkedLead::pk).toList()));
  }

  private void eraseLead(String organizationId, LinkedLead lead, String[] textPatterns) {
    String leadId = "erased-" + HexFormat.of().formatHex(randomBytes());
    // The workflow id names the lead id (lead-<campaign>-<lead id>); the history endpoint looks
    // for the new one and finds none, which is right for an erased lead.
    String workflowId = lead.workflowId() == null ? null : "erased-wf-" + leadId;
    jdbc.sql(
            """
            update leads
               set lead_id = :leadId, email = null, phone = null, whatsapp = null, first_name = null,
                   last_name = null, company = null, title = null, attributes = '{}',
                   workflow_id = :workflowId, contact_pk = null, paused_by = null,
                   status = case when status in ('PENDING', 'ACTIVE', 'PAUSED') then 'CANCELLED'
                                 else status end,
                   updated_at = now()
             where id = :pk
            """)
        .param("leadId", leadId)
        .param("workflowId", workflowId)
        .param("pk", lead.pk())
        .update();
    jdbc.sql(
            """
            update messages
               set recipient = :erased,
                   subject = case when subject is null then null else :erased end,
                   body_text = :erased,
                   body_html = case when body_html is null then null else :erased end,
                   error_message = case when error_message is null then null else :erased end,
                   idempotency_key = 'erased:' || id
             where lead_pk = :pk
            """)
        .param("erased", ERASED)
        .param("pk", lead.pk())
        .update();
    jdbc.sql(
            "update message_links set url = :erased where message_id in"
                + " (select id from messages where lead_pk = :pk)")
        .param("erased", ERASED)
        .param("pk", lead.pk())
        .update();
    // A reply's detail starts with its class (interested: ...), which the metrics read.
    jdbc.sql(
            """
            update lead_events
               set detail = case when event = 'replied' and position(':' in detail) > 0
                                 then split_part(detail, ':', 1) || ': ' || :erased
                                 else :erased end
             where lead_pk = :pk and detail is not null
            """)
        .param("erased", ERASED)
        .param("pk", lead.pk())
        .update();
    // Webhook events carry the lead's id and what it did: the pending ones are not sent any more,
    // and the delivered ones leave the log.
    jdbc.sql(
            "delete from webhook_events where id in (select event_id from webhook_deliveries"
                + " where ordering_key = 'lead:' || cast(:pk as text))")
        .param("pk", lead.pk())
        .update();
    jdbc.sql(
            "update lead_steps set reason = :erased where lead_pk = :pk"
                + " and reason ilike any (cast(:patterns as text[]))")
        .param("erased", ERASED)
        .param("pk", lead.pk())
        .param("patterns", textPatterns)
        .update();
    if (lead.workflowId() != null) {
      jdbc.sql(
              "update send_reservations set idempotency_key = 'erased:' || md5(idempotency_key)"
                  + " where lead_pk = ?")
          .param(lead.pk())
          .update();
      // The store already says the lead is over, and a send re-checks the store under the lead's
      // lock: a stop signal still waiting here is not needed, and it names the old lead id.
      jdbc.sql("delete from signal_outbox where workflow_id = ?").param(lead.workflowId()).update();
    }
    // An event's stored answer names the lead it enrolled.
    jdbc.sql(
            "update contact_events set answer = cast(replace(answer::text, :old, :new) as jsonb)"
                + " where organization_id = :org and strpos(answer::text, :old) > 0")
        .param("org", organizationId)
        .param("old", "\"" + lead.leadId() + "\"")
        .param("new", "\"" + leadId + "\"")
        .update();
    eraseFromAuditLog(organizationId, "/leads/", lead.leadId());
  }

  private void eraseEvents(String organizationId, Contact contact, List<String> addresses) {
    jdbc.sql("delete from contact_events where contact_pk = ?").param(contact.pk()).update();
    // Events that named the contact by address without being linked to it.
    String[] patterns = ContactRecords.patterns(addresses).toArray(String[]::new);
    if (patterns.length > 0) {
      jdbc.sql(
              "update contact_events set properties = '{}' where organization_id = :org"
                  + " and properties::text ilike any (cast(:patterns as text[]))")
          .param("org", organizationId)
          .param("patterns", patterns)
          .update();
    }
  }

  /** Inbound mail from the contact; one no organization claimed is theirs as much. */
  private void eraseInbound(String organizationId, List<String> addresses) {
    String[] patterns = ContactRecords.patterns(addresses).toArray(String[]::new);
    if (patterns.length == 0) {
      return;
    }
    jdbc.sql(
            """
            update inbound_messages
               set from_address = :erased,
                   subject = case when subject is null then null else :erased end,
                   source_key = case when source_key ilike any (cast(:patterns as text[]))
                                     then 'erased:' || id else source_key end
             where (organization_id = :org or organization_id is null)
               and from_address ilike any (cast(:patterns as text[]))
            """)
        .param("erased", ERASED)
        .param("org", organizationId)
        .param("patterns", patterns)
        .update();
  }

  private void hashSuppression(String organizationId, String channel, String address) {
    String hash = SuppressionHash.of(address);
    jdbc.sql(
            """
            insert into suppressions (organization_id, channel, address, source, created_at)
            select organization_id, channel, :hash, source, created_at from suppressions
             where organization_id = :org and channel = :channel and address = :address
            on conflict do nothing
            """)
        .param("hash", hash)
        .param("org", organizationId)
        .param("channel", channel)
        .param("address", address)
        .update();
    jdbc.sql("delete from suppressions where organization_id = ? and channel = ? and address = ?")
        .params(organizationId, channel, address)
        .update();
    // Details hold what the person wrote (a reply's text), so they go; the action and source stay.
    jdbc.sql(
            """
            update suppression_audit
               set address = :hash,
                   detail = case when detail is null then null else :erased end
             where organization_id = :org and channel = :channel and address = :address
            """)
        .param("hash", hash)
        .param("erased", ERASED)
        .param("org", organizationId)
        .param("channel", channel)
        .param("address", address)
        .update();
  }

  /**
   * Replaces {@code id} where it is a path segment after {@code prefix} ({@code /contacts/<id>},
   * {@code /leads/<id>}), and the same segment of those entries' targets.
   */
  private void eraseFromAuditLog(String organizationId, String prefix, String id) {
    String segment = inPath(id);
    jdbc.sql(
            """
            update audit_log
               set path = regexp_replace(path, :path, :replacement, 'g'),
                   target = regexp_replace(target, :target, '\\1' || :erased || '\\2', 'g')
             where organization_id = :org and path ~ :path
            """)
        .param("path", prefix + segment + "(/|$)")
        .param("replacement", prefix + ERASED + "\\1")
        .param("target", "(^|/)" + segment + "(/|$)")
        .param("erased", ERASED)
        .param("org", organizationId)
        .update();
  }

  /**
   * A PostgreSQL regular expression that matches {@code text} literally as it may appear in a
   * request path: {@code @}, {@code :} and {@code +} also percent-encoded.
   */
  static String inPath(String text) {
    StringBuilder pattern = new StringBuilder();
    for (char c : text.toCharArray()) {
      switch (c) {
        case '@' -> pattern.append("(?:@|%40)");
        case ':' -> pattern.append("(?::|%3[Aa])");
        case '+' -> pattern.append("(?:\\+|%2[Bb])");
        default -> {
          if (Character.isLetterOrDigit(c)) {
            pattern.append(c);
          } else {
            pattern.append('\\').append(c);
          }
        }
      }
    }
    return pattern.toString();
  }

  private static void addIfPresent(Set<String> values, String value) {
    if (value != null && !value.isBlank()) {
      values.add(value);
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
