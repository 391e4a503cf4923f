package dev.sequencer.workflows.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The calling hours of US states on top of an SMS campaign's window. Every expected instant below
 * was worked out by hand: March 2027 has no US federal holiday; clocks go forward on Sunday
 * 2027-03-14 and back on Sunday 2027-11-07; New York is UTC-5 in winter (EST) and UTC-4 in summer
 * (EDT), Chicago UTC-6 (CST) and UTC-5 (CDT), Los Angeles UTC-8 (PST).
 */
class StateCallingHoursTest {

  private static final Set<DayOfWeek> MON_FRI = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
  private static final Set<DayOfWeek> EVERY_DAY = EnumSet.allOf(DayOfWeek.class);

  /** An SMS campaign without a window of its own: the federal 08:00-21:00. */
  private static SendPlanner sms(Set<DayOfWeek> businessDays, String state) {
    return planner(null, null, businessDays, state);
  }

  private static SendPlanner planner(
      LocalTime windowStart, LocalTime windowEnd, Set<DayOfWeek> businessDays, String state) {
    ScheduleRules rules =
        new ScheduleRules("America/New_York", windowStart, windowEnd, businessDays, "US", Set.of())
            .forSms();
    return new SendPlanner(rules, StateCallingHours.of(state).orElse(null));
  }

  private static Instant local(String localDateTime, String zone) {
    return LocalDateTime.parse(localDateTime).atZone(ZoneId.of(zone)).toInstant();
  }

  @ParameterizedTest(name = "{0} {2} {3} -> {4} {5}")
  @CsvSource(
      nullValues = "null",
      value = {
        // Florida, 08:00-20:00. Wednesday 20:30 EST is inside the federal hours, outside the
        // state's: Thursday 08:00 EST = 13:00Z.
        "FL, America/New_York, MON_FRI, 2027-03-03T20:30, 2027-03-04T13:00:00Z, quiet_hours",
        // Friday 20:30: the next business day is Monday, 08:00 EST = 13:00Z.
        "FL, America/New_York, MON_FRI, 2027-03-05T20:30, 2027-03-08T13:00:00Z, quiet_hours",
        // 19:59 is allowed as it is (00:59Z next day); 20:00 is not, the end being exclusive.
        "FL, America/New_York, MON_FRI, 2027-03-03T19:59, 2027-03-04T00:59:00Z, null",
        "FL, America/New_York, MON_FRI, 2027-03-03T20:00, 2027-03-04T13:00:00Z, quiet_hours",
        // Before 08:00 and after 21:00 the federal hours say no first: outside_window, as before.
        "FL, America/New_York, MON_FRI, 2027-03-03T07:30, 2027-03-03T13:00:00Z, outside_window",
        "FL, America/New_York, MON_FRI, 2027-03-03T21:30, 2027-03-04T13:00:00Z, outside_window",
        // Oklahoma and Maryland, 08:00-20:00: as Florida (Oklahoma City CST: 08:00 = 14:00Z).
        "OK, America/Chicago, MON_FRI, 2027-03-03T20:30, 2027-03-04T14:00:00Z, quiet_hours",
        "MD, America/New_York, MON_FRI, 2027-03-03T20:30, 2027-03-04T13:00:00Z, quiet_hours",
        // Washington, 08:00-20:00: Seattle 20:15 PST moves to Thursday 08:00 PST = 16:00Z.
        "WA, America/Los_Angeles, MON_FRI, 2027-03-03T20:15, 2027-03-04T16:00:00Z, quiet_hours",
        // Connecticut, 09:00-20:00: 08:30 EST waits until 09:00 EST = 14:00Z the same day.
        "CT, America/New_York, MON_FRI, 2027-03-03T08:30, 2027-03-03T14:00:00Z, quiet_hours",
        "CT, America/New_York, MON_FRI, 2027-03-03T20:30, 2027-03-04T14:00:00Z, quiet_hours",
        // Texas, Monday to Saturday 09:00-21:00: Monday 08:30 CST waits until 09:00 CST = 15:00Z.
        "TX, America/Chicago, MON_FRI, 2027-03-01T08:30, 2027-03-01T15:00:00Z, quiet_hours",
        "TX, America/Chicago, MON_FRI, 2027-03-01T20:30, 2027-03-02T02:30:00Z, null",
        // Texas Sunday, 12:00-21:00, when Sunday is a business day: 10:00 CST waits until 12:00
        // CST = 18:00Z.
        "TX, America/Chicago, EVERY_DAY, 2027-03-07T10:00, 2027-03-07T18:00:00Z, quiet_hours",
        "TX, America/Chicago, EVERY_DAY, 2027-03-06T10:00, 2027-03-06T16:00:00Z, null",
        // When it is not, the weekend moves the step first, to Monday 09:00 CST = 15:00Z.
        "TX, America/Chicago, MON_FRI, 2027-03-07T10:00, 2027-03-08T15:00:00Z, weekend",
        // The Sunday clocks go forward: 10:00 CDT waits until 12:00 CDT = 17:00Z, not 18:00Z.
        "TX, America/Chicago, EVERY_DAY, 2027-03-14T10:00, 2027-03-14T17:00:00Z, quiet_hours",
        // New York has no stricter hours: 20:30 EST goes out as it is (01:30Z).
        "NY, America/New_York, MON_FRI, 2027-03-03T20:30, 2027-03-04T01:30:00Z, null",
        "null, America/New_York, MON_FRI, 2027-03-03T20:30, 2027-03-04T01:30:00Z, null",
      })
  void firstAllowedInstantAndReason(
      String state, String zone, String days, String localStart, String expected, String reason) {
    SendPlanner planner = sms("EVERY_DAY".equals(days) ? EVERY_DAY : MON_FRI, state);
    Instant start = local(localStart, zone);

    assertThat(planner.firstAllowedAtOrAfter(start, ZoneId.of(zone)))
        .isEqualTo(Instant.parse(expected));
    assertThat(planner.reasonNotAllowed(start, ZoneId.of(zone))).isEqualTo(reason);
    assertThat(planner.isAllowed(start, ZoneId.of(zone))).isEqualTo(reason == null);
  }

  @Test
  void floridaSequenceOverTheSpringDstChange() {
    ZoneId miami = ZoneId.of("America/New_York");
    SendPlanner planner = sms(MON_FRI, "FL");
    List<StepSpec> steps =
        List.of(new StepSpec("hook", 0), new StepSpec("proof", 3), new StepSpec("fomo", 7));

    // Hook planned for Wednesday 2027-03-03 20:30 EST: Thursday 08:00 EST = 13:00Z. Proof, three
    // business days after Thursday (Fri 5, Mon 8, Tue 9): Tuesday 08:00 EST = 13:00Z. Fomo, seven
    // (Fri 5, Mon 8, Tue 9, Wed 10, Thu 11, Fri 12, Mon 15): Monday 2027-03-15 08:00, by then EDT
    // = 12:00Z. Only the hook was moved.
    assertThat(planner.plan(local("2027-03-03T20:30", "America/New_York"), miami, steps))
        .containsExactly(
            new StepPlan("hook", 0, Instant.parse("2027-03-04T13:00:00Z"), "quiet_hours"),
            new StepPlan("proof", 3, Instant.parse("2027-03-09T13:00:00Z"), null),
            new StepPlan("fomo", 7, Instant.parse("2027-03-15T12:00:00Z"), null));
  }

  @Test
  void floridaFridayEveningAcrossTheFallBackMovesToMondayMorningEst() {
    ZoneId miami = ZoneId.of("America/New_York");
    SendPlanner planner = sms(MON_FRI, "FL");
    // Friday 2027-11-05 20:30 EDT = 00:30Z Saturday; clocks go back on Sunday, so Monday 08:00 is
    // EST = 13:00Z (12:00Z a week earlier).
    Instant start = local("2027-11-05T20:30", "America/New_York");
    assertThat(start).isEqualTo(Instant.parse("2027-11-06T00:30:00Z"));

    assertThat(planner.firstAllowedAtOrAfter(start, miami))
        .isEqualTo(Instant.parse("2027-11-08T13:00:00Z"));
    assertThat(planner.reasonNotAllowed(start, miami)).isEqualTo("quiet_hours");
  }

  @Test
  void campaignWindowStillApplies() {
    ZoneId miami = ZoneId.of("America/New_York");
    // 10:00-17:00 is inside Florida's hours: the campaign's window decides, as before.
    SendPlanner narrow = planner(LocalTime.of(10, 0), LocalTime.of(17, 0), MON_FRI, "FL");
    Instant afterFive = local("2027-03-03T17:30", "America/New_York");
    assertThat(narrow.reasonNotAllowed(afterFive, miami)).isEqualTo("outside_window");
    assertThat(narrow.firstAllowedAtOrAfter(afterFive, miami))
        .isEqualTo(Instant.parse("2027-03-04T15:00:00Z")); // Thursday 10:00 EST

    // 07:00-22:00 is clamped to 08:00-21:00 for SMS, then cut to Florida's 08:00-20:00.
    SendPlanner wide = planner(LocalTime.of(7, 0), LocalTime.of(22, 0), MON_FRI, "FL");
    Instant halfEight = local("2027-03-03T20:30", "America/New_York");
    assertThat(wide.reasonNotAllowed(halfEight, miami)).isEqualTo("quiet_hours");
    assertThat(wide.firstAllowedAtOrAfter(halfEight, miami))
        .isEqualTo(Instant.parse("2027-03-04T13:00:00Z"));
  }

  @Test
  void windowWhollyOutsideTheStateHoursAllowsNothing() {
    ZoneId austin = ZoneId.of("America/Chicago");
    // 08:00-09:00 never meets Texas's 09:00-21:00; in Florida it is all allowed.
    SendPlanner texas = planner(LocalTime.of(8, 0), LocalTime.of(9, 0), MON_FRI, "TX");
    SendPlanner florida = planner(LocalTime.of(8, 0), LocalTime.of(9, 0), MON_FRI, "FL");

    assertThat(texas.hasAllowedTime()).isFalse();
    assertThat(florida.hasAllowedTime()).isTrue();
    assertThatThrownBy(
            () -> texas.firstAllowedAtOrAfter(local("2027-03-01T08:30", "America/Chicago"), austin))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the send window 08:00-09:00 lies outside the calling hours of TX on every business"
                + " day");
    // A Texan Sunday-only campaign from 09:00 to 11:00 has nothing either: Sundays start at noon.
    assertThat(
            planner(LocalTime.of(9, 0), LocalTime.of(11, 0), EnumSet.of(DayOfWeek.SUNDAY), "TX")
                .hasAllowedTime())
        .isFalse();
  }

  @Test
  void tableHasTheStatutesHours() {
    assertThat(StateCallingHours.states())
        .containsExactlyInAnyOrder("FL", "OK", "MD", "WA", "CT", "TX");
    assertThat(StateCallingHours.of("fl").orElseThrow().on(DayOfWeek.SUNDAY))
        .hasToString("08:00-20:00");
    assertThat(StateCallingHours.of("CT").orElseThrow().on(DayOfWeek.MONDAY))
        .hasToString("09:00-20:00");
    assertThat(StateCallingHours.of("TX").orElseThrow().on(DayOfWeek.SATURDAY))
        .hasToString("09:00-21:00");
    assertThat(StateCallingHours.of("TX").orElseThrow().on(DayOfWeek.SUNDAY))
        .hasToString("12:00-21:00");
    assertThat(StateCallingHours.of("NY")).isEmpty();
    assertThat(StateCallingHours.of(null)).isEmpty();
  }
}
