package dev.sequencer.workflows.schedule;

import de.focus_shift.jollyday.core.Holiday;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Corrects Jollyday's "US" national table to the federal holidays as the U.S. Office of Personnel
 * Management observes them (5 U.S.C. 6103; a holiday on a Saturday is observed the Friday before,
 * one on a Sunday the Monday after).
 *
 * <p>Why a correction is needed (checked against jollyday-core 2.19.0, Holidays_us.xml):
 *
 * <ul>
 *   <li>Columbus Day (second Monday in October) is missing from the national level: Jollyday only
 *       lists it under some states. It is added here.
 *   <li>The national level has nothing else the OPM list lacks today, but only the eleven OPM
 *       holidays are kept (by Jollyday key), so that a future Jollyday version adding e.g.
 *       Inauguration Day (a holiday only around Washington, D.C.) or a state holiday to the
 *       national level does not change campaigns.
 *   <li>Jollyday's names ("Presidents Day", "Labour day", "Christmas") are replaced by OPM's.
 * </ul>
 *
 * Jollyday's observed dates for the fixed-date holidays (New Year's Day, Juneteenth, Independence
 * Day, Veterans Day, Christmas Day) already follow the Friday-before/Monday-after rule, including
 * across the year boundary (New Year's Day 2028 is observed on Friday 2027-12-31).
 */
final class UsFederalHolidays {

  /** Jollyday description keys of the OPM holidays, with the names OPM uses for them. */
  private static final Map<String, String> OPM_NAMES =
      Map.ofEntries(
          Map.entry("NEW_YEAR", "New Year's Day"),
          Map.entry("MARTIN_LUTHER_KING", "Birthday of Martin Luther King, Jr."),
          Map.entry("PRESIDENTS_DAY", "Washington's Birthday"),
          Map.entry("WASHINGTONS_BIRTHDAY", "Washington's Birthday"),
          Map.entry("MEMORIAL_DAY", "Memorial Day"),
          Map.entry("JUNETEENTH", "Juneteenth National Independence Day"),
          Map.entry("INDEPENDENCE_DAY", "Independence Day"),
          Map.entry("LABOUR_DAY", "Labor Day"),
          Map.entry("LABOR_DAY", "Labor Day"),
          Map.entry("COLUMBUS_DAY", "Columbus Day"),
          Map.entry("VETERANS_DAY", "Veterans Day"),
          Map.entry("THANKSGIVING", "Thanksgiving Day"),
          Map.entry("CHRISTMAS", "Christmas Day"));

  static final String COLUMBUS_DAY = "Columbus Day";

  /** Columbus Day has been the second Monday in October since the Uniform Monday Holiday Act. */
  private static final int COLUMBUS_DAY_MONDAY_SINCE = 1971;

  private UsFederalHolidays() {}

  /**
   * The OPM holidays of {@code baseYear} at their observed dates, from Jollyday's US national
   * public holidays of that year.
   */
  static List<ObservedHoliday> fromJollyday(int baseYear, Set<Holiday> jollyday) {
    List<ObservedHoliday> result = new ArrayList<>();
    boolean hasColumbusDay = false;
    for (Holiday holiday : jollyday) {
      String name = OPM_NAMES.get(holiday.getPropertiesKey());
      if (name != null) {
        result.add(new ObservedHoliday(holiday.getDate(), name));
        hasColumbusDay |= name.equals(COLUMBUS_DAY);
      }
    }
    if (!hasColumbusDay && baseYear >= COLUMBUS_DAY_MONDAY_SINCE) {
      LocalDate secondMonday =
          LocalDate.of(baseYear, Month.OCTOBER, 1)
              .with(TemporalAdjusters.dayOfWeekInMonth(2, DayOfWeek.MONDAY));
      result.add(new ObservedHoliday(secondMonday, COLUMBUS_DAY));
    }
    return result;
  }
}
