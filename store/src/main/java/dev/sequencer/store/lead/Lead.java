package dev.sequencer.store.lead;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A lead enrolled in one campaign. {@code leadId} is the caller's id, unique within the campaign;
 * {@code id} is the surrogate key other tables reference.
 *
 * @param senderId the registered sender all of its steps come from, chosen at enrolment
 * @param whatsapp the lead's WhatsApp number (E.164), or null
 */
@Table("leads")
public record Lead(
    @Id Long id,
    String organizationId,
    String campaignId,
    String leadId,
    String email,
    String phone,
    String firstName,
    String lastName,
    String company,
    String title,
    String timezone,
    String attributes,
    LeadStatus status,
    String variant,
    String workflowId,
    Instant createdAt,
    Instant updatedAt,
    String senderId,
    String whatsapp) {

  public Lead(
      Long id,
      String organizationId,
      String campaignId,
      String leadId,
      String email,
      String phone,
      String firstName,
      String lastName,
      String company,
      String title,
      String timezone,
      String attributes,
      LeadStatus status,
      String variant,
      String workflowId,
      Instant createdAt,
      Instant updatedAt,
      String senderId) {
    this(
        id,
        organizationId,
        campaignId,
        leadId,
        email,
        phone,
        firstName,
        lastName,
        company,
        title,
        timezone,
        attributes,
        status,
        variant,
        workflowId,
        createdAt,
        updatedAt,
        senderId,
        null);
  }

  /**
   * The lead's own address on {@code channel}: its email, phone or WhatsApp number; null when it
   * has none (and for webhook and in-app, which need no address of the lead's).
   */
  public String addressOn(dev.sequencer.store.campaign.Channel channel) {
    return switch (channel) {
      case EMAIL -> email;
      case SMS -> phone;
      case WHATSAPP -> whatsapp;
      case WEBHOOK, IN_APP -> null;
    };
  }

  public Lead withId(Long id) {
    return new Lead(
        id,
        organizationId,
        campaignId,
        leadId,
        email,
        phone,
        firstName,
        lastName,
        company,
        title,
        timezone,
        attributes,
        status,
        variant,
        workflowId,
        createdAt,
        updatedAt,
        senderId,
        whatsapp);
  }
}
