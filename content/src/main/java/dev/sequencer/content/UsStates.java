package dev.sequencer.content;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** US states, the District of Columbia and the inhabited territories, by USPS two-letter code. */
public final class UsStates {

  private static final Map<String, String> NAMES = new LinkedHashMap<>();

  static {
    String[] pairs = {
      "AL",
      "Alabama",
      "AK",
      "Alaska",
      "AZ",
      "Arizona",
      "AR",
      "Arkansas",
      "CA",
      "California",
      "CO",
      "Colorado",
      "CT",
      "Connecticut",
      "DE",
      "Delaware",
      "FL",
      "Florida",
      "GA",
      "Georgia",
      "HI",
      "Hawaii",
      "ID",
      "Idaho",
      "IL",
      "Illinois",
      "IN",
      "Indiana",
      "IA",
      "Iowa",
      "KS",
      "Kansas",
      "KY",
      "Kentucky",
      "LA",
      "Louisiana",
      "ME",
      "Maine",
      "MD",
      "Maryland",
      "MA",
      "Massachusetts",
      "MI",
      "Michigan",
      "MN",
      "Minnesota",
      "MS",
      "Mississippi",
      "MO",
      "Missouri",
      "MT",
      "Montana",
      "NE",
      "Nebraska",
      "NV",
      "Nevada",
      "NH",
      "New Hampshire",
      "NJ",
      "New Jersey",
      "NM",
      "New Mexico",
      "NY",
      "New York",
      "NC",
      "North Carolina",
      "ND",
      "North Dakota",
      "OH",
      "Ohio",
      "OK",
      "Oklahoma",
      "OR",
      "Oregon",
      "PA",
      "Pennsylvania",
      "RI",
      "Rhode Island",
      "SC",
      "South Carolina",
      "SD",
      "South Dakota",
      "TN",
      "Tennessee",
      "TX",
      "Texas",
      "UT",
      "Utah",
      "VT",
      "Vermont",
      "VA",
      "Virginia",
      "WA",
      "Washington",
      "WV",
      "West Virginia",
      "WI",
      "Wisconsin",
      "WY",
      "Wyoming",
      "DC",
      "District of Columbia",
      "AS",
      "American Samoa",
      "GU",
      "Guam",
      "MP",
      "Northern Mariana Islands",
      "PR",
      "Puerto Rico",
      "VI",
      "U.S. Virgin Islands"
    };
    for (int i = 0; i < pairs.length; i += 2) {
      NAMES.put(pairs[i], pairs[i + 1]);
    }
  }

  /**
   * The places libphonenumber's geocoder names, in English, for US area codes: a state's name, or a
   * city with the state's code ("San Francisco, CA"), and these few that are neither.
   */
  private static final Map<String, String> PLACES = new HashMap<>();

  static {
    NAMES.forEach((code, name) -> PLACES.put(name, code));
    PLACES.put("Washington State", "WA");
    PLACES.put("Washington D.C.", "DC");
    PLACES.put("Philadelphia", "PA");
  }

  private static final Pattern CITY_AND_STATE = Pattern.compile(".+, ([A-Z]{2})");

  private UsStates() {}

  /** Whether {@code code} is a state or territory code, in any case ("fl" is Florida). */
  public static boolean isCode(String code) {
    return code != null && NAMES.containsKey(code.strip().toUpperCase(Locale.ROOT));
  }

  /**
   * The code of a place as the geocoder describes it: "Florida" is FL, "San Francisco, CA" is CA;
   * empty for anything else ("United States", a non-US place).
   */
  static Optional<String> codeOfPlace(String place) {
    if (place == null) {
      return Optional.empty();
    }
    Matcher cityAndState = CITY_AND_STATE.matcher(place);
    if (cityAndState.matches()) {
      return Optional.of(cityAndState.group(1)).filter(NAMES::containsKey);
    }
    return Optional.ofNullable(PLACES.get(place));
  }
}
