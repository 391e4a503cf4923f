package dev.sequencer.workflows.schedule;

import static java.time.LocalDate.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BusinessCalendarTest {

  private static final Set<DayOfWeek> MON_FRI = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);

  private static ScheduleRules rules(
      Set<DayOfWeek> days, String calendar, Set<LocalDate> blackouts) {
    return new ScheduleRules("Europe/Berlin", null, null, days, calendar, blackouts);
  }

  @Test
  void supportedCalendarsAreIsoAlpha2CountryCodes() {
    assertThat(BusinessCalendar.isSupportedCalendar("US")).isTrue();
    assertThat(BusinessCalendar.isSupportedCalendar("DE")).isTrue();
    assertThat(BusinessCalendar.isSupportedCalendar("GB")).isTrue();
    assertThat(BusinessCalendar.isSupportedCalendar("XX")).isFalse();
    assertThat(BusinessCalendar.isSupportedCalendar("us")).isFalse();
    assertThat(BusinessCalendar.isSupportedCalendar("USA")).isFalse();
    assertThat(BusinessCalendar.isSupportedCalendar("NYSE"))
        .isFalse(); // an exchange, not a country
    assertThat(BusinessCalendar.isSupportedCalendar("")).isFalse();
    assertThat(BusinessCalendar.isSupportedCalendar(null)).isFalse();
  }

  @Test
  void unknownCalendarFailsFast() {
    assertThatThrownBy(() -> rules(MON_FRI, "XX", Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("XX");
  }

  @Test
  void germanNationalHolidays2026() {
    BusinessCalendar de = new BusinessCalendar(rules(MON_FRI, "DE", Set.of()));
    // Easter Sunday 2026 is April 5.
    assertThat(de.holidays(2026))
        .containsExactly(
            of(2026, 1, 1),
            of(2026, 4, 3), // Good Friday
            of(2026, 4, 6), // Easter Monday
            of(2026, 5, 1),
            of(2026, 5, 14), // Ascension Day
            of(2026, 5, 25), // Whit Monday
            of(2026, 10, 3),
            of(2026, 12, 25),
            of(2026, 12, 26));
    assertThat(de.holidayName(of(2026, 10, 3))).contains("German Unity Day");
    assertThat(de.isBusinessDay(of(2026, 4, 6))).isFalse();
    assertThat(de.isBusinessDay(of(2026, 4, 7))).isTrue();
    // The U.S. holidays mean nothing in Germany.
    assertThat(de.isBusinessDay(of(2026, 1, 19))).isTrue();
  }

  @Test
  void britishSubstituteDaysAsJollydayModelsThem() {
    BusinessCalendar gb = new BusinessCalendar(rules(MON_FRI, "GB", Set.of()));
    // Christmas 2027 is a Saturday, Boxing Day a Sunday: substitutes Monday 27 and Tuesday 28.
    assertThat(gb.holidays(2027)).contains(of(2027, 12, 27), of(2027, 12, 28));
    assertThat(gb.addBusinessDays(of(2027, 12, 24), 1)).isEqualTo(of(2027, 12, 29));
  }

  @Test
  void withoutCalendarOnlyBusinessDaysAndBlackoutsCount() {
    BusinessCalendar none = new BusinessCalendar(rules(MON_FRI, null, Set.of(of(2027, 1, 19))));
    assertThat(none.holidays(2027)).isEmpty();
    assertThat(none.holidayName(of(2027, 1, 1))).isEmpty();
    assertThat(none.isBusinessDay(of(2027, 1, 1))).isTrue();
    assertThat(none.isBusinessDay(of(2027, 1, 18))).isTrue();
    assertThat(none.isBusinessDay(of(2027, 1, 19))).isFalse();
    assertThat(none.reasonNotBusinessDay(of(2027, 1, 19))).isEqualTo("blackout");
  }

  @Test
  void addBusinessDaysSkipsWeekendsHolidaysAndBlackouts() {
    BusinessCalendar us =
        new BusinessCalendar(
            new ScheduleRules(
                "America/New_York", null, null, MON_FRI, "US", Set.of(of(2027, 1, 20))));
    // Friday 2027-01-15; Monday 01-18 is MLK Day, Wednesday 01-20 a blackout date.
    assertThat(us.addBusinessDays(of(2027, 1, 15), 0)).isEqualTo(of(2027, 1, 15));
    assertThat(us.addBusinessDays(of(2027, 1, 15), 1)).isEqualTo(of(2027, 1, 19));
    assertThat(us.addBusinessDays(of(2027, 1, 15), 2)).isEqualTo(of(2027, 1, 21));
    assertThat(us.addBusinessDays(of(2027, 1, 15), 3)).isEqualTo(of(2027, 1, 22));
    // From a non-business day: 0 is the next business day, 1 the one after.
    assertThat(us.addBusinessDays(of(2027, 1, 16), 0)).isEqualTo(of(2027, 1, 19));
    assertThat(us.addBusinessDays(of(2027, 1, 16), 1)).isEqualTo(of(2027, 1, 19));
    assertThat(us.addBusinessDays(of(2027, 1, 18), 1)).isEqualTo(of(2027, 1, 19));
    assertThatThrownBy(() -> us.addBusinessDays(of(2027, 1, 15), -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void addBusinessDaysAcrossNewYear2028() {
    BusinessCalendar us = new BusinessCalendar(ScheduleRules.defaults("America/New_York"));
    // Wed 12-29; Fri 12-31 observed New Year's Day; Sat/Sun 01-01/02.
    assertThat(us.addBusinessDays(of(2027, 12, 29), 1)).isEqualTo(of(2027, 12, 30));
    assertThat(us.addBusinessDays(of(2027, 12, 29), 2)).isEqualTo(of(2028, 1, 3));
    assertThat(us.addBusinessDays(of(2027, 12, 29), 3)).isEqualTo(of(2028, 1, 4));
    assertThat(us.addBusinessDays(of(2027, 12, 29), 7)).isEqualTo(of(2028, 1, 10));
  }

  @Test
  void customBusinessDaysSundayToThursday() {
    BusinessCalendar sunThu =
        new BusinessCalendar(
            rules(
                EnumSet.of(
                    DayOfWeek.SUNDAY,
                    DayOfWeek.MONDAY,
                    DayOfWeek.TUESDAY,
                    DayOfWeek.WEDNESDAY,
                    DayOfWeek.THURSDAY),
                null,
                Set.of()));
    assertThat(sunThu.isBusinessDay(of(2027, 3, 12))).isFalse(); // Friday
    assertThat(sunThu.isBusinessDay(of(2027, 3, 13))).isFalse(); // Saturday
    assertThat(sunThu.isBusinessDay(of(2027, 3, 14))).isTrue(); // Sunday
    assertThat(sunThu.reasonNotBusinessDay(of(2027, 3, 12))).isEqualTo("weekend");
    // Thursday + 1 = Sunday
    assertThat(sunThu.addBusinessDays(of(2027, 3, 11), 1)).isEqualTo(of(2027, 3, 14));
  }

  @Test
  void reasonPrefersHolidayOverWeekendOverBlackout() {
    BusinessCalendar de =
        new BusinessCalendar(rules(MON_FRI, "DE", Set.of(of(2027, 12, 26), of(2027, 12, 27))));
    assertThat(de.reasonNotBusinessDay(of(2027, 12, 26))).isEqualTo("holiday"); // a Sunday
    assertThat(de.reasonNotBusinessDay(of(2027, 12, 27))).isEqualTo("blackout");
    assertThat(de.reasonNotBusinessDay(of(2027, 12, 28))).isNull();
  }

  @Test
  void rulesThatAllowNoDayFailInsteadOfLooping() {
    Set<LocalDate> everyWednesday = new java.util.HashSet<>();
    for (LocalDate d = of(2027, 1, 6); d.getYear() < 2040; d = d.plusWeeks(1)) {
      everyWednesday.add(d);
    }
    BusinessCalendar onlyWednesdays =
        new BusinessCalendar(rules(EnumSet.of(DayOfWeek.WEDNESDAY), null, everyWednesday));
    assertThatThrownBy(() -> onlyWednesdays.addBusinessDays(of(2027, 1, 1), 1))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void holidayTablesAreCachedAndSafeToReadConcurrently() {
    BusinessCalendar us = new BusinessCalendar(ScheduleRules.defaults("UTC"));
    assertThat(us.holidays(2031)).isSameAs(us.holidays(2031));
    List<String> codes = List.of("US", "DE", "GB", "FR", "CA", "AU", "JP", "BR");
    List<Integer> sizes =
        IntStream.range(0, 400)
            .parallel()
            .mapToObj(
                i ->
                    new BusinessCalendar(rules(MON_FRI, codes.get(i % codes.size()), Set.of()))
                        .holidays(2030 + i % 5)
                        .size())
            .toList();
    assertThat(sizes).allSatisfy(size -> assertThat(size).isPositive());
    assertThat(new BusinessCalendar(rules(MON_FRI, "US", Set.of())).holidays(2030)).hasSize(11);
  }
}
