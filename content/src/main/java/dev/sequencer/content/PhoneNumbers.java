package dev.sequencer.content;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.geocoding.PhoneNumberOfflineGeocoder;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Phone number normalisation and time zone inference, backed by libphonenumber.
 *
 * <p>Messages describe the problem without repeating the number, so they can be logged and returned
 * to API callers without spreading personal data.
 */
public final class PhoneNumbers {

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final String UNKNOWN_REGION = "ZZ";

  private PhoneNumbers() {}

  /**
   * The E.164 form ({@code +14155550100}) of a number written in any common format.
   *
   * @param defaultRegion ISO 3166-1 alpha-2 code ({@code "US"}, {@code "GB"}, {@code "DE"}) used
   *     for numbers written without a country code; {@code null} requires a leading {@code +}
   * @throws InvalidPhoneNumberException if {@code raw} is not a phone number, or not a valid one
   * @throws IllegalArgumentException if {@code defaultRegion} is not a region libphonenumber knows
   */
  public static String toE164(String raw, String defaultRegion) {
    PhoneNumber number = parse(raw, region(defaultRegion));
    if (!UTIL.isValidNumber(number)) {
      throw new InvalidPhoneNumberException(invalidReason(number));
    }
    return UTIL.format(number, PhoneNumberFormat.E164);
  }

  /**
   * The time zone of a number when its prefix pins down exactly one: {@code +44 20...} is
   * Europe/London and {@code +1 415...} America/Los_Angeles, while a US toll-free number or a
   * prefix spanning several zones ({@code +1 907}, Alaska) gives none.
   *
   * @param e164 a number with its country code, as returned by {@link #toE164}
   * @throws InvalidPhoneNumberException if {@code e164} cannot be parsed
   */
  public static Optional<ZoneId> zoneOf(String e164) {
    PhoneNumber number = parse(e164, UNKNOWN_REGION);
    List<String> zones = PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(number);
    if (zones.size() != 1
        || zones.get(0).equals(PhoneNumberToTimeZonesMapper.getUnknownTimeZone())) {
      return Optional.empty();
    }
    try {
      return Optional.of(ZoneId.of(zones.get(0)));
    } catch (DateTimeException e) {
      // libphonenumber's zone data can name a zone this JDK's tzdata does not have yet.
      return Optional.empty();
    }
  }

  /**
   * The US state of a number's area code, by libphonenumber's geocoder: {@code +1 305...} is FL and
   * {@code +1 206...} WA. Empty for a number outside the US region (Canada, Puerto Rico and the
   * other +1 countries and territories have their own), a toll-free or other non-geographic number,
   * or one that cannot be parsed. An area code tells where the number was issued, not where its
   * holder is.
   *
   * @param e164 a number with its country code, as returned by {@link #toE164}
   */
  public static Optional<String> usStateOf(String e164) {
    PhoneNumber number;
    try {
      number = parse(e164, UNKNOWN_REGION);
    } catch (InvalidPhoneNumberException e) {
      return Optional.empty();
    }
    if (!"US".equals(UTIL.getRegionCodeForNumber(number))) {
      return Optional.empty();
    }
    return UsStates.codeOfPlace(
        PhoneNumberOfflineGeocoder.getInstance().getDescriptionForNumber(number, Locale.ENGLISH));
  }

  private static String region(String defaultRegion) {
    if (defaultRegion == null || defaultRegion.isBlank()) {
      return UNKNOWN_REGION;
    }
    String region = defaultRegion.strip().toUpperCase(Locale.ROOT);
    if (!UTIL.getSupportedRegions().contains(region)) {
      throw new IllegalArgumentException(
          "Unknown default region '" + defaultRegion + "': use an ISO 3166-1 alpha-2 code like US");
    }
    return region;
  }

  private static PhoneNumber parse(String raw, String region) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidPhoneNumberException("Phone number is empty");
    }
    try {
      return UTIL.parse(raw, region);
    } catch (NumberParseException e) {
      throw new InvalidPhoneNumberException(parseFailure(e, raw, region));
    }
  }

  private static String parseFailure(NumberParseException e, String raw, String region) {
    return switch (e.getErrorType()) {
      case INVALID_COUNTRY_CODE ->
          region.equals(UNKNOWN_REGION) && !raw.strip().startsWith("+")
              ? "Phone number has no country code: write it with a leading + and country code"
              : "Phone number has an unknown country code";
      case NOT_A_NUMBER -> "Not a phone number";
      case TOO_SHORT_AFTER_IDD -> "Phone number is too short after the international prefix";
      case TOO_SHORT_NSN -> "Phone number is too short";
      case TOO_LONG -> "Phone number is too long";
    };
  }

  private static String invalidReason(PhoneNumber number) {
    String region = UTIL.getRegionCodeForCountryCode(number.getCountryCode());
    String where = " for country code +" + number.getCountryCode() + " (" + region + ")";
    return switch (UTIL.isPossibleNumberWithReason(number)) {
      case INVALID_COUNTRY_CODE ->
          "Phone number has an unknown country code +" + number.getCountryCode();
      case TOO_SHORT -> "Phone number is too short" + where;
      case TOO_LONG -> "Phone number is too long" + where;
      case INVALID_LENGTH -> "Phone number has the wrong number of digits" + where;
      case IS_POSSIBLE_LOCAL_ONLY -> "Phone number is missing its area code" + where;
      case IS_POSSIBLE ->
          "Phone number is not a valid number" + where + ": no such area code or range";
    };
  }
}
