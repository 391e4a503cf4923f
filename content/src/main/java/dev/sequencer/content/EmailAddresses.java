package dev.sequencer.content;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Validation and normalisation of lead email addresses.
 *
 * <p>An address must be a single bare {@code local@domain}: no display name, no list, no group. On
 * top of RFC 5322 parsing (jakarta.mail {@link InternetAddress} in strict mode) it must be ASCII,
 * have an unquoted dot-atom local part and a host name domain with at least one dot. Quoted local
 * parts, IP literals and internationalised addresses are valid RFC 5321 mailboxes, but mainstream
 * providers do not hand them out and sending relays often refuse them: in a lead list they are
 * typos or junk.
 */
public final class EmailAddresses {

  static final int MAX_LENGTH = 254;
  private static final int MAX_LOCAL_LENGTH = 64;
  private static final Pattern LOCAL_PART =
      Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+"
              + "(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})");

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
    InternetAddress parsed;
    try {
      parsed = new InternetAddress(address, true);
    } catch (AddressException e) {
      throw new InvalidEmailAddressException(
          "Not a valid email address: " + e.getMessage().toLowerCase(Locale.ROOT));
    }
    if (parsed.isGroup() || parsed.getPersonal() != null || !address.equals(parsed.getAddress())) {
      throw new InvalidEmailAddressException(
          "Email address must be a bare address like name@example.com, without a display name");
    }
    if (!address.chars().allMatch(c -> c < 0x80)) {
      throw new InvalidEmailAddressException("Email address contains non-ASCII characters");
    }
    int at = address.lastIndexOf('@');
    String local = address.substring(0, at);
    String domain = address.substring(at + 1);
    if (local.length() > MAX_LOCAL_LENGTH || !LOCAL_PART.matcher(local).matches()) {
      throw new InvalidEmailAddressException(
          "Email address has an invalid part before the @ (quoted or over 64 characters)");
    }
    if (!DOMAIN.matcher(domain).matches()) {
      throw new InvalidEmailAddressException(
          "Email address domain must be a host name with a dot, like example.com");
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
}
