package dev.sequencer.content;

import java.util.Locale;
import java.util.Set;

/**
 * Addresses of a function rather than a person ({@code info@}, {@code sales@}, ...): mail to them
 * lands in shared inboxes and ticket queues, is reported as spam more often, and cold-email tools
 * flag them at import. The list is the common core of those tools' lists and RFC 2142's mailbox
 * names.
 */
public final class RoleAddresses {

  private static final Set<String> ROLES =
      Set.of(
          "abuse",
          "accounting",
          "accounts",
          "admin",
          "administrator",
          "billing",
          "careers",
          "contact",
          "contactus",
          "customerservice",
          "enquiries",
          "enquiry",
          "feedback",
          "finance",
          "help",
          "hello",
          "helpdesk",
          "hostmaster",
          "hr",
          "info",
          "information",
          "inquiries",
          "inquiry",
          "jobs",
          "legal",
          "mail",
          "marketing",
          "media",
          "newsletter",
          "no-reply",
          "noc",
          "noreply",
          "office",
          "orders",
          "postmaster",
          "press",
          "privacy",
          "recruiting",
          "reception",
          "root",
          "sales",
          "security",
          "service",
          "support",
          "team",
          "webmaster");

  private RoleAddresses() {}

  /** Whether the normalised address's local part (before any {@code +tag}) names a role. */
  public static boolean isRole(String address) {
    int at = address.lastIndexOf('@');
    if (at <= 0) {
      return false;
    }
    String local = address.substring(0, at).toLowerCase(Locale.ROOT);
    int tag = local.indexOf('+');
    return ROLES.contains(tag < 0 ? local : local.substring(0, tag));
  }
}
