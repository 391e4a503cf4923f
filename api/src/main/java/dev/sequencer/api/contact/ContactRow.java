package dev.sequencer.api.contact;

import java.util.List;
import java.util.Map;

/** One contact as the caller sends it, in a JSON array or a CSV row. */
public record ContactRow(
    String contactId,
    String email,
    String phone,
    String firstName,
    String lastName,
    String company,
    String title,
    String timezone,
    List<String> tags,
    Map<String, Object> attributes,
    String whatsapp) {

  public ContactRow(
      String contactId,
      String email,
      String phone,
      String firstName,
      String lastName,
      String company,
      String title,
      String timezone,
      List<String> tags,
      Map<String, Object> attributes) {
    this(
        contactId,
        email,
        phone,
        firstName,
        lastName,
        company,
        title,
        timezone,
        tags,
        attributes,
        null);
  }
}
