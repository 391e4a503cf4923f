package dev.sequencer.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.geocoding.PhoneNumberOfflineGeocoder;
import java.time.ZoneId;
import java.util.Locale;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {

  @Nested
  class ToE164 {

    @ParameterizedTest
    @CsvSource(
        delimiter = ';',
        nullValues = "null",
        value = {
          // United States
          "+14155550100;null;+14155550100",
          "+1 (415) 555-0100;null;+14155550100",
          "(415) 555-2671;US;+14155552671",
          "415.555.2671;US;+14155552671",
          "1-415-555-2671;US;+14155552671",
          "+1 415 555 2671;DE;+14155552671",
          "001 415 555 2671;DE;+14155552671",
          "+15005550006;null;+15005550006",
          // United Kingdom
          "020 7946 0958;GB;+442079460958",
          "+44 20 7946 0958;null;+442079460958",
          "+44 (0)20 7946 0958;null;+442079460958",
          "07911 123456;GB;+447911123456",
          "00 44 7911 123456;DE;+447911123456",
          // Germany
          "030 901820;DE;+4930901820",
          "+49 30 901820;null;+4930901820",
          "0151 23456789;DE;+4915123456789",
          "+49 (0) 151 2345 6789;US;+4915123456789",
        })
    void normalisesNumbersWithAndWithoutCountryCode(
        String raw, String defaultRegion, String expected) {
      assertThat(PhoneNumbers.toE164(raw, defaultRegion)).isEqualTo(expected);
    }

    @Test
    void defaultRegionIsCaseInsensitiveAndTrimmed() {
      assertThat(PhoneNumbers.toE164("020 7946 0958", " gb ")).isEqualTo("+442079460958");
    }

    @Test
    void sameDigitsMeanDifferentNumbersInDifferentRegions() {
      assertThat(PhoneNumbers.toE164("030 901820", "DE")).isEqualTo("+4930901820");
      assertThatThrownBy(() -> PhoneNumbers.toE164("030 901820", "US"))
          .isInstanceOf(InvalidPhoneNumberException.class);
    }

    @Test
    void blankDefaultRegionMeansNone() {
      assertThat(PhoneNumbers.toE164("+4930901820", " ")).isEqualTo("+4930901820");
      assertThatThrownBy(() -> PhoneNumbers.toE164("030 901820", ""))
          .isInstanceOf(InvalidPhoneNumberException.class)
          .hasMessageContaining("no country code");
    }

    @Test
    void withoutDefaultRegionTheCountryCodeIsRequired() {
      assertThatThrownBy(() -> PhoneNumbers.toE164("(415) 555-2671", null))
          .isInstanceOf(InvalidPhoneNumberException.class)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Phone number has no country code: write it with a leading + and country code");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   "})
    void emptyInputIsRejected(String raw) {
      assertThatThrownBy(() -> PhoneNumbers.toE164(raw, "US"))
          .isInstanceOf(InvalidPhoneNumberException.class)
          .hasMessage("Phone number is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "n/a", "grace@example.com", "+"})
    void textIsNotANumber(String raw) {
      assertThatThrownBy(() -> PhoneNumbers.toE164(raw, "US"))
          .isInstanceOf(InvalidPhoneNumberException.class)
          .hasMessage("Not a phone number");
    }

    @Test
    void unknownCountryCode() {
      assertThatThrownBy(() -> PhoneNumbers.toE164("+999 1234 5678", null))
          .isInstanceOf(InvalidPhoneNumberException.class)
          .hasMessage("Phone number has an unknown country code");
    }

    @Test
    void localNumberWithoutAreaCode() {
      assertThatThrownBy(() -> PhoneNumbers.toE164("555 0100", "US"))
          .isInstanceOf(InvalidPhoneNumberException.class)
          .hasMessage("Phone number is missing its area code for country code +1 (US)");
    }

    @Test
    void tooShortForTheCountry() {
      assertThatThrownBy(() -> PhoneNumbers.toE164("12345", "US"))
          .isInstanceOf(InvalidPhoneNumberException.class)
          .hasMessage("Phone number is too short for country code +1 (US)");
    }

    @Test
    void tooLongForTheCountry() {
      assertThatThrownBy(() -> PhoneNumbers.toE164("+1 415 555 01001", null))
          .isInstanceOf(InvalidPhoneNumberException.class)
          .hasMessage("Phone number is too long for country code +1 (US)");
    }

    @Test
    void rightLengthButNoSuchAreaCode() {
      assertThatThrownBy(() -> PhoneNumbers.toE164("+1 123 555 0100", null))
          .isInstanceOf(InvalidPhoneNumberException.class)
          .hasMessage(
              "Phone number is not a valid number for country code +1 (US): no such area code or"
                  + " range");
    }

    @Test
    void ukReservedDramaMobileRangeIsInvalid() {
      assertThatThrownBy(() -> PhoneNumbers.toE164("07700 900123", "GB"))
          .isInstanceOf(InvalidPhoneNumberException.class)
          .hasMessageContaining("country code +44 (GB)");
    }

    @Test
    void germanNumberWithTooFewDigits() {
      assertThatThrownBy(() -> PhoneNumbers.toE164("+49 30 12", null))
          .isInstanceOf(InvalidPhoneNumberException.class)
          .hasMessageContaining("country code +49 (DE)");
    }

    @Test
    void messagesDoNotRepeatTheNumber() {
      assertThatThrownBy(() -> PhoneNumbers.toE164("+1 123 555 0100", null))
          .message()
          .doesNotContain("123")
          .doesNotContain("555");
    }

    @Test
    void unknownDefaultRegionIsACallerError() {
      assertThatThrownBy(() -> PhoneNumbers.toE164("020 7946 0958", "UK"))
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'UK'");
    }
  }

  @Nested
  class ZoneOf {

    @ParameterizedTest
    @CsvSource({
      "+442079460958, Europe/London",
      "+14155550100, America/Los_Angeles",
      "+12125550100, America/New_York",
      "+13125550100, America/Chicago",
      "+4930901820, Europe/Berlin",
      "+4915123456789, Europe/Berlin",
      "+33142685300, Europe/Paris",
      "+61293744000, Australia/Sydney",
      "+74951234567, Europe/Moscow",
    })
    void unambiguousPrefixGivesItsZone(String e164, String zone) {
      assertThat(PhoneNumbers.zoneOf(e164)).contains(ZoneId.of(zone));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "+18002752273", // US toll-free: the whole NANP
          "+15005550006", // US personal communication service: the whole NANP
          "+19075550100", // Alaska: Anchorage and Adak
          "+12085550100", // Idaho: Boise and Los Angeles
          "+61892223333", // Western/South Australia: Perth and Adelaide
        })
    void ambiguousPrefixGivesNoZone(String e164) {
      assertThat(PhoneNumbers.zoneOf(e164)).isEmpty();
    }

    @Test
    void invalidNumberGivesNoZone() {
      assertThat(PhoneNumbers.zoneOf("+447700900123")).isEmpty();
    }

    @Test
    void unparsableInputIsRejected() {
      assertThatThrownBy(() -> PhoneNumbers.zoneOf("4155550100"))
          .isInstanceOf(InvalidPhoneNumberException.class);
      assertThatThrownBy(() -> PhoneNumbers.zoneOf(null))
          .isInstanceOf(InvalidPhoneNumberException.class);
    }

    @Test
    void worksOnTheOutputOfToE164() {
      String e164 = PhoneNumbers.toE164("020 7946 0958", "GB");
      assertThat(PhoneNumbers.zoneOf(e164)).contains(ZoneId.of("Europe/London"));
    }
  }

  @Nested
  class UsStateOf {

    @ParameterizedTest
    @CsvSource({
      "+13055550123, FL", // Miami
      "+12065550123, WA", // Seattle: the geocoder says "Washington State"
      "+15125550123, TX", // Austin
      "+12125550123, NY", // Manhattan: "New York, NY"
      "+14155550100, CA", // "San Francisco, CA"
      "+12035550123, CT",
      "+14055550123, OK",
      "+14105550123, MD",
      "+12025550123, DC", // "Washington D.C."
      "+12155550123, PA", // some of 215 is "Philadelphia"
    })
    void areaCodeGivesItsState(String e164, String state) {
      assertThat(PhoneNumbers.usStateOf(e164)).contains(state);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "+18005550123", // toll-free: no place
          "+17875550123", // Puerto Rico: a region of its own, not US
          "+14165550123", // Toronto
          "+442079460958", // London
          "4155550100", // no country code
        })
    void numberOutsideTheUsStatesGivesNone(String e164) {
      assertThat(PhoneNumbers.usStateOf(e164)).isEmpty();
    }

    @Test
    void everyGeographicUsAreaCodeNamesAState() throws NumberParseException {
      // The geocoder's words for US area codes are a state, "City, ST" or one of a few others; a
      // new form in a later data release would silently leave leads with the federal hours.
      PhoneNumberUtil util = PhoneNumberUtil.getInstance();
      for (int areaCode = 201; areaCode < 990; areaCode++) {
        String e164 = "+1" + areaCode + "5550123";
        PhoneNumber number = util.parse(e164, "ZZ");
        String place =
            PhoneNumberOfflineGeocoder.getInstance()
                .getDescriptionForNumber(number, Locale.ENGLISH);
        if ("US".equals(util.getRegionCodeForNumber(number))
            && !place.isEmpty()
            && !place.equals("United States")) {
          assertThat(PhoneNumbers.usStateOf(e164)).as("%s (%s)", e164, place).isPresent();
        }
      }
    }
  }
}
