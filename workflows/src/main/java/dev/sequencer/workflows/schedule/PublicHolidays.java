package dev.sequencer.workflows.schedule;

import de.focus_shift.jollyday.core.Holiday;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.HolidayType;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.time.LocalDate;
import java.time.Year;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The national public holidays of a country, as observed, read from Jollyday's bundled tables and
 * cached per country and year (thread-safe).
 *
 * <p>Only Jollyday's national level is used (no subdivisions) and only holidays of type {@link
 * HolidayType#PUBLIC_HOLIDAY} (not observances such as Christmas Eve in Austria). For "US" the
 * table is corrected to the OPM federal holidays by {@link UsFederalHolidays}.
 */
final class PublicHolidays {

  private static final Pattern ALPHA_2 = Pattern.compile("[A-Z]{2}");

  /**
   * Jollyday's calendars that are countries (ISO 3166 alpha-2); it also has exchange and settlement
   * calendars ("NYSE", "TARGET", ...) that are not offered.
   */
  private static final Set<String> SUPPORTED =
      HolidayManager.getSupportedCalendarCodes().stream()
          .filter(code -> ALPHA_2.matcher(code).matches())
          .collect(Collectors.toUnmodifiableSet());

  private static final ConcurrentMap<String, HolidayManager> MANAGERS = new ConcurrentHashMap<>();

  private static final ConcurrentMap<CountryYear, SortedMap<LocalDate, String>> OBSERVED =
      new ConcurrentHashMap<>();

  private record CountryYear(String country, int year) {}

  private PublicHolidays() {}

  static boolean isSupported(String country) {
    return country != null && SUPPORTED.contains(country);
  }

  /**
   * The holidays whose observed date falls in {@code year}, by date, with their names (names of two
   * holidays observed on the same date joined with " / ").
   */
  static SortedMap<LocalDate, String> observedIn(String country, int year) {
    if (!isSupported(country)) {
      throw new IllegalArgumentException("unsupported holiday calendar: " + country);
    }
    return OBSERVED.computeIfAbsent(new CountryYear(country, year), PublicHolidays::load);
  }

  private static SortedMap<LocalDate, String> load(CountryYear key) {
    // A holiday of one year can be observed in the year before or after it (New Year's Day 2028,
    // a Saturday, is observed on Friday 2027-12-31), so look at the neighbouring years too.
    List<ObservedHoliday> candidates = new ArrayList<>();
    for (int base = key.year() - 1; base <= key.year() + 1; base++) {
      candidates.addAll(holidaysOf(key.country(), base));
    }
    candidates.sort(
        Comparator.comparing(ObservedHoliday::date).thenComparing(ObservedHoliday::name));
    SortedMap<LocalDate, String> byDate = new TreeMap<>();
    for (ObservedHoliday holiday : candidates) {
      if (holiday.date().getYear() == key.year()) {
        byDate.merge(holiday.date(), holiday.name(), (a, b) -> a.equals(b) ? a : a + " / " + b);
      }
    }
    return Collections.unmodifiableSortedMap(byDate);
  }

  /** The holidays Jollyday computes for {@code baseYear}, each at its observed date. */
  private static List<ObservedHoliday> holidaysOf(String country, int baseYear) {
    Set<Holiday> holidays =
        manager(country).getHolidays(Year.of(baseYear), HolidayType.PUBLIC_HOLIDAY);
    if (country.equals("US")) {
      return UsFederalHolidays.fromJollyday(baseYear, holidays);
    }
    List<ObservedHoliday> result = new ArrayList<>();
    for (Holiday holiday : holidays) {
      // getDate() is the observed date when a moving condition applied, else the actual date.
      result.add(new ObservedHoliday(holiday.getDate(), holiday.getDescription(Locale.ENGLISH)));
    }
    return result;
  }

  private static HolidayManager manager(String country) {
    return MANAGERS.computeIfAbsent(
        country, code -> HolidayManager.getInstance(ManagerParameters.create(code)));
  }
}
