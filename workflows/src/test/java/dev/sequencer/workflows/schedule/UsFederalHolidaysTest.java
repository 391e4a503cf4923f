package dev.sequencer.workflows.schedule;

import static java.time.LocalDate.of;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The "US" calendar against the federal holidays as published by OPM (opm.gov). */
class UsFederalHolidaysTest {

  private final BusinessCalendar us =
      new BusinessCalendar(ScheduleRules.defaults("America/New_York"));

  @Test
  void matchesOpm2026() {
    assertThat(us.holidays(2026))
        .containsExactly(
            of(2026, 1, 1),
            of(2026, 1, 19),
            of(2026, 2, 16),
            of(2026, 5, 25),
            of(2026, 6, 19),
            of(2026, 7, 3), // Independence Day, Saturday 07-04, observed Friday
            of(2026, 9, 7),
            of(2026, 10, 12),
            of(2026, 11, 11),
            of(2026, 11, 26),
            of(2026, 12, 25));
  }

  @Test
  void matchesOpm2027IncludingNewYearsDay2028ObservedOnDecember31() {
    assertThat(us.holidays(2027))
        .containsExactly(
            of(2027, 1, 1),
            of(2027, 1, 18),
            of(2027, 2, 15),
            of(2027, 5, 31),
            of(2027, 6, 18), // Juneteenth, Saturday 06-19, observed Friday
            of(2027, 7, 5), // Independence Day, Sunday 07-04, observed Monday
            of(2027, 9, 6),
            of(2027, 10, 11),
            of(2027, 11, 11),
            of(2027, 11, 25),
            of(2027, 12, 24), // Christmas Day, Saturday 12-25, observed Friday
            of(2027, 12, 31)); // New Year's Day 2028, Saturday, observed Friday
  }

  @Test
  void matchesOpm2028WhoseNewYearsDayIsObservedIn2027() {
    assertThat(us.holidays(2028))
        .containsExactly(
            of(2028, 1, 17),
            of(2028, 2, 21),
            of(2028, 5, 29),
            of(2028, 6, 19),
            of(2028, 7, 4),
            of(2028, 9, 4),
            of(2028, 10, 9),
            of(2028, 11, 10), // Veterans Day, Saturday 11-11, observed Friday
            of(2028, 11, 23),
            of(2028, 12, 25));
  }

  @Test
  void observedHolidaysAreWeekdaysAndTheActualWeekendDatesAreNotHolidays() {
    for (int year = 2026; year <= 2028; year++) {
      assertThat(us.holidays(year))
          .allSatisfy(
              d -> assertThat(d.getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY));
    }
    assertThat(us.isHoliday(of(2027, 12, 31))).isTrue();
    assertThat(us.isBusinessDay(of(2027, 12, 31))).isFalse();
    assertThat(us.isHoliday(of(2028, 1, 1))).isFalse();
    assertThat(us.holidayName(of(2028, 1, 1))).isEmpty();
    assertThat(us.isBusinessDay(of(2028, 1, 1))).isFalse(); // a Saturday
    assertThat(us.isBusinessDay(of(2028, 1, 3))).isTrue();
  }

  @Test
  void usesOpmNames() {
    assertThat(us.holidayName(of(2027, 12, 31))).contains("New Year's Day");
    assertThat(us.holidayName(of(2027, 1, 18))).contains("Birthday of Martin Luther King, Jr.");
    assertThat(us.holidayName(of(2027, 2, 15))).contains("Washington's Birthday");
    assertThat(us.holidayName(of(2027, 6, 18))).contains("Juneteenth National Independence Day");
    assertThat(us.holidayName(of(2027, 9, 6))).contains("Labor Day");
    assertThat(us.holidayName(of(2027, 10, 11))).contains("Columbus Day");
    assertThat(us.holidayName(of(2027, 12, 24))).contains("Christmas Day");
    assertThat(us.holidayName(of(2027, 12, 23))).isEmpty();
  }

  @Test
  void hasNoInaugurationDayNorStateHolidays() {
    // 2029-01-20 is a Sunday: Inauguration Day (D.C. area only) would be Monday 2029-01-22.
    assertThat(us.holidays(2029)).doesNotContain(of(2029, 1, 20), of(2029, 1, 22));
    assertThat(us.holidays(2029)).contains(of(2029, 1, 1), of(2029, 1, 15));
    // Day after Thanksgiving (several states), Good Friday, Cesar Chavez Day (California).
    assertThat(us.holidays(2027))
        .doesNotContain(of(2027, 11, 26), of(2027, 3, 26), of(2027, 3, 31));
    // 2025: MLK Day and Inauguration Day fell on the same date; one holiday, the OPM name.
    assertThat(us.holidayName(of(2025, 1, 20))).contains("Birthday of Martin Luther King, Jr.");
  }

  @Test
  void sundayHolidayIsObservedOnMonday() {
    // Christmas 2022 and Juneteenth 2022 fell on Sundays.
    assertThat(us.holidays(2022)).contains(of(2022, 12, 26), of(2022, 6, 20));
    assertThat(us.holidays(2022)).doesNotContain(of(2022, 12, 25), of(2022, 6, 19));
    // and the previous year boundary case: New Year's Day 2022 (Saturday) on Friday 2021-12-31.
    assertThat(us.holidays(2021)).contains(of(2021, 12, 31));
    assertThat(us.holidays(2022)).doesNotContain(LocalDate.of(2021, 12, 31));
  }
}
