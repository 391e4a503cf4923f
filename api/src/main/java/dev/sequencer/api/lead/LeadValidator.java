package dev.sequencer.api.lead;

import dev.sequencer.api.campaign.Ids;
import dev.sequencer.api.error.FieldError;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Validates and normalises one imported lead against its campaign. */
final class LeadValidator {

  /** Attributes a lead may carry, and the length of each value. */
  static final int MAX_ATTRIBUTES = LeadFields.MAX_ATTRIBUTES;

  static final int MAX_ATTRIBUTE_VALUE = LeadFields.MAX_ATTRIBUTE_VALUE;

  /** A lead that passed: normalised values, ready to store. */
  record ValidLead(
      String leadId,
      String email,
      String phone,
      String firstName,
      String lastName,
      String company,
      String title,
      String timezone,
      Map<String, Object> attributes,
      String whatsapp) {

    /** The lead's address on {@code channel}, or null (webhook and in-app steps need none). */
    String addressOn(Channel channel) {
      return switch (channel) {
        case EMAIL -> email;
        case SMS -> phone;
        case WHATSAPP -> whatsapp;
        case WEBHOOK, IN_APP -> null;
      };
    }
  }

  private LeadValidator() {}

  /**
   * @return the normalised lead, or the errors of the row in {@code errors} and empty
   */
  static Optional<ValidLead> validate(
      LeadRow row, Campaign campaign, List<String> requiredAttributes, List<FieldError> errors) {
    String leadId = row.leadId() == null ? null : row.leadId().trim();
    if (leadId != null && !Ids.ID.matcher(leadId).matches()) {
      errors.add(
          new FieldError(
              "lead_id",
              "must be 1-128 letters, digits or . _ : @ - starting with a letter or digit"));
    }
    String email = LeadFields.email(row.email(), errors);
    String phone = LeadFields.phone(row.phone(), campaign.schedule().holidayCalendar(), errors);
    String whatsapp =
        LeadFields.phone("whatsapp", row.whatsapp(), campaign.schedule().holidayCalendar(), errors);
    boolean hasEmail = LeadFields.blankToNull(row.email()) != null;
    boolean hasPhone = LeadFields.blankToNull(row.phone()) != null;
    boolean hasWhatsapp = LeadFields.blankToNull(row.whatsapp()) != null;
    if (!campaign.mixesChannels()) {
      if (!hasEmail && campaign.channel() == Channel.EMAIL) {
        errors.add(new FieldError("email", "is required for an email campaign"));
      }
      if (!hasPhone && campaign.channel() == Channel.SMS) {
        errors.add(new FieldError("phone", "is required for an sms campaign"));
      }
      if (!hasWhatsapp && campaign.channel() == Channel.WHATSAPP) {
        errors.add(new FieldError("whatsapp", "is required for a whatsapp campaign"));
      }
    } else {
      // Steps reach the lead where they can; a lead no step can reach is refused at once.
      java.util.Set<Channel> channels = campaign.channels();
      if (!campaign.reaches(
          LeadFields.blankToNull(row.email()),
          LeadFields.blankToNull(row.phone()),
          LeadFields.blankToNull(row.whatsapp()))) {
        errors.add(
            new FieldError(
                channels.contains(Channel.EMAIL) ? "email" : "phone",
                "the lead needs an address on one of the campaign's channels ("
                    + String.join(", ", channels.stream().map(Channel::wireName).toList())
                    + ")"));
      }
    }
    String timezone =
        LeadFields.timezone(
            row.timezone(),
            // A lead with only a WhatsApp number takes that number's zone.
            phone != null ? phone : whatsapp,
            campaign.schedule().timezone(),
            errors);
    String firstName = LeadFields.text("first_name", row.firstName(), errors);
    String lastName = LeadFields.text("last_name", row.lastName(), errors);
    String company = LeadFields.text("company", row.company(), errors);
    String title = LeadFields.text("title", row.title(), errors);
    Map<String, Object> attributes = LeadFields.attributes(row.attributes(), errors);
    for (String required : requiredAttributes) {
      Object value = attributes.get(required);
      if (value == null || value.toString().isBlank()) {
        errors.add(
            new FieldError(
                "attributes." + required, "is required: the campaign's templates use it"));
      }
    }
    if (!errors.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ValidLead(
            leadId,
            email,
            phone,
            firstName,
            lastName,
            company,
            title,
            timezone,
            attributes,
            whatsapp));
  }

  static List<FieldError> newErrors() {
    return new ArrayList<>();
  }
}
