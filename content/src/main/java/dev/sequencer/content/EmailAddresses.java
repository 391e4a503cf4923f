package dev.sequencer.content;

import com.sanctionco.jmail.Email;
import com.sanctionco.jmail.EmailValidationResult;
import com.sanctionco.jmail.FailureReason;
import com.sanctionco.jmail.JMail;
import com.sanctionco.jmail.ValidationRules;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Validation and normalisation of lead email addresses.
 *
 * <p>The syntax is parsed by JMail, a validator made for email addresses (RFC 5321 and 5322: dots,
 * label and part lengths, hyphens, the single {@code @}), and checked with the rules of its strict
 * mode: a top-level domain is required, and IP-literal domains and source routes are refused. On
 * top of that an address must be what mailbox providers hand out and relays accept: a single bare
 * {@code local@domain} (no display name, angle brackets, comment, list or group), ASCII, an
 * unquoted dot-atom local part without backslash escapes, and a host name domain whose top-level
 * label is letters (or an {@code xn--} IDN label). Quoted local parts, IP literals and
 * internationalised addresses are valid RFC 5321 mailboxes, but in a lead list they are typos or
 * junk.
 */
public final class EmailAddresses {

  static final int MAX_LENGTH = 254;

  static final String BARE_ADDRESS =
      "Email address must be a bare address like name@example.com, without a display name";
  static final String LOCAL_PART =
      "Email address has an invalid part before the @ (quoted or over 64 characters)";
  static final String HOST_NAME =
      "Email address domain must be a host name with a dot, like example.com";

  /** RFC 5322 §3.2.3 atext, and the dots between atoms (JMail checks their placement). */
  private static final Pattern DOT_ATOM = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+");

  private static final Pattern DOMAIN_CHARACTERS = Pattern.compile("[A-Za-z0-9.-]+");

  /** Every delegated top-level domain is letters, or an IDN's A-label (RFC 3696 §2). */
  private static final Pattern TOP_LEVEL_DOMAIN =
      Pattern.compile("[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59}");

  /** A check of a parsed address, and what a refusal says. */
  private record Rule(Predicate<Email> passes, String message) {}

  /**
   * JMail's strict rules ({@link JMail#strictValidator()}: no IP-literal domain, a top-level domain
   * required, no source route) and a few more of its own, then this class's, in the order their
   * messages are given: JMail's validator runs its rules in no fixed order, so they are applied
   * here one by one to the address it parsed.
   */
  private static final List<Rule> RULES =
      List.of(
          new Rule(e -> !e.hasIdentifier() && e.comments().isEmpty(), BARE_ADDRESS),
          new Rule(
              ValidationRules::disallowExplicitSourceRouting,
              "Not a valid email address: contains a source route"),
          new Rule(
              ValidationRules::disallowObsoleteWhitespace,
              "Not a valid email address: contains whitespace"),
          new Rule(e -> DOT_ATOM.matcher(e.localPart()).matches(), LOCAL_PART),
          new Rule(ValidationRules::disallowIpDomain, HOST_NAME),
          new Rule(ValidationRules::requireTopLevelDomain, HOST_NAME),
          new Rule(ValidationRules::disallowSingleCharacterTopLevelDomains, HOST_NAME),
          new Rule(EmailAddresses::isHostName, HOST_NAME));

  /** JMail's parsing verdicts that are about the domain, answered with {@link #HOST_NAME}. */
  private static final Set<FailureReason> DOMAIN_REASONS =
      Set.of(
          FailureReason.INVALID_IP_DOMAIN,
          FailureReason.INVALID_DOMAIN_CHARACTER,
          FailureReason.DOMAIN_PART_STARTS_WITH_DASH,
          FailureReason.DOMAIN_PART_ENDS_WITH_DASH,
          FailureReason.DOMAIN_PART_TOO_LONG,
          FailureReason.DOMAIN_TOO_LONG,
          FailureReason.MISSING_FINAL_DOMAIN_PART,
          FailureReason.NUMERIC_TLD,
          FailureReason.TOP_LEVEL_DOMAIN_TOO_LONG);

  private EmailAddresses() {}

  /**
   * The trimmed, lower-cased address.
   *
   * @throws InvalidEmailAddressException if {@code raw} is not a single plain address
   */
  public static String normalize(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidEmailAddressException("Email address is empty");
    }
    String address = raw.strip();
    if (address.length() > MAX_LENGTH) {
      throw new InvalidEmailAddressException(
          "Email address is longer than " + MAX_LENGTH + " characters");
    }
    if (!address.chars().allMatch(c -> c < 0x80)) {
      throw new InvalidEmailAddressException("Email address contains non-ASCII characters");
    }
    if (address.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      // JMail lets a NUL through in the local part; no mailbox has one.
      throw new InvalidEmailAddressException("Email address contains control characters");
    }
    EmailValidationResult result = JMail.validate(address);
    if (result.isFailure()) {
      throw new InvalidEmailAddressException(messageOf(result.getFailureReason()));
    }
    Email email = result.getEmail().orElseThrow();
    for (Rule rule : RULES) {
      if (!rule.passes().test(email)) {
        throw new InvalidEmailAddressException(rule.message());
      }
    }
    if (!address.equals(email.localPart() + "@" + email.domain())) {
      // <name@example.com>: JMail reads the angle brackets as a name-addr without a name.
      throw new InvalidEmailAddressException(BARE_ADDRESS);
    }
    return address.toLowerCase(Locale.ROOT);
  }

  /**
   * The domain of an address, lower-cased: {@code example.com} for {@code Grace@Example.com}.
   *
   * @throws InvalidEmailAddressException if {@code normalized} is not a valid address
   */
  public static String domain(String normalized) {
    String address = normalize(normalized);
    return address.substring(address.lastIndexOf('@') + 1);
  }

  private static boolean isHostName(Email email) {
    String domain = email.domain();
    return DOMAIN_CHARACTERS.matcher(domain).matches()
        && TOP_LEVEL_DOMAIN.matcher(domain.substring(domain.lastIndexOf('.') + 1)).matches();
  }

  private static String messageOf(FailureReason reason) {
    if (reason.equals(FailureReason.LOCAL_PART_TOO_LONG)) {
      return LOCAL_PART;
    }
    if (DOMAIN_REASONS.contains(reason)) {
      return HOST_NAME;
    }
    return "Not a valid email address: "
        + reason.toString().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
