package dev.sequencer.workflows.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SendPlannerTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final Set<DayOfWeek> MON_FRI = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
  private static final Set<DayOfWeek> SUN_THU =
      EnumSet.of(
          DayOfWeek.SUNDAY,
          DayOfWeek.MONDAY,
          DayOfWeek.TUESDAY,
          DayOfWeek.WEDNESDAY,
          DayOfWeek.THURSDAY);
  private static final List<StepSpec> HOOK_PROOF_FOMO =
      List.of(new StepSpec("hook", 0), new StepSpec("proof", 3), new StepSpec("fomo", 7));

  /** 09:00-17:00, Monday to Friday, U.S. federal holidays. */
  private static SendPlanner nineToFive(Set<LocalDate> blackouts) {
    return new SendPlanner(
        new ScheduleRules(
            "America/New_York", LocalTime.of(9, 0), LocalTime.of(17, 0), MON_FRI, "US", blackouts));
  }

  private static Instant local(String localDateTime, ZoneId zone) {
    return LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
  }

  private static Instant utc(String instant) {
    return Instant.parse(instant);
  }

  @Test
  void startBeforeMondayHolidayMovesToTuesdayWindowStart() {
    SendPlanner planner = nineToFive(Set.of());
    // Friday 18:00, after the window; Monday 2027-01-18 is MLK Day.
    Instant start = local("2027-01-15T18:00", NEW_YORK);
    assertThat(start).isEqualTo(utc("2027-01-15T23:00:00Z"));

    Instant hook = planner.firstAllowedAtOrAfter(start, NEW_YORK);

    assertThat(hook).isEqualTo(utc("2027-01-19T14:00:00Z")); // Tuesday 09:00 EST
    assertThat(planner.reasonNotAllowed(start, NEW_YORK)).isEqualTo("outside_window");
    assertThat(planner.reasonNotAllowed(local("2027-01-18T10:00", NEW_YORK), NEW_YORK))
        .isEqualTo("holiday");
  }

  @Test
  void stepsKeepTheHookTimeAcrossTheSpringDstChange() {
    SendPlanner planner = nineToFive(Set.of());
    // Friday 10:00 EST; clocks go forward on Sunday 2027-03-14.
    Instant hook = utc("2027-03-12T15:00:00Z");
    assertThat(planner.isAllowed(hook, NEW_YORK)).isTrue();

    assertThat(planner.planAfter(hook, 3, NEW_YORK))
        .isEqualTo(utc("2027-03-17T14:00:00Z")) // Wednesday 10:00 EDT
        .isEqualTo(local("2027-03-17T10:00", NEW_YORK));

    assertThat(planner.plan(hook, NEW_YORK, HOOK_PROOF_FOMO))
        .containsExactly(
            new StepPlan("hook", 0, hook, null),
            new StepPlan("proof", 3, utc("2027-03-17T14:00:00Z"), null),
            new StepPlan("fomo", 7, utc("2027-03-23T14:00:00Z"), null));
  }

  @Test
  void sequenceAcrossNewYearSkipsObservedNewYearsDayAndTheWeekend() {
    SendPlanner planner = nineToFive(Set.of());
    // Hook Wednesday 2027-12-29 10:00 EST. Business days after it: Thu 12-30 (1), [Fri 12-31 is
    // New Year's Day 2028 observed, Sat 01-01, Sun 01-02], Mon 01-03 (2), Tue 01-04 (3),
    // Wed (4), Thu (5), Fri (6), Mon 01-10 (7).
    Instant start = local("2027-12-29T10:00", NEW_YORK);

    assertThat(planner.plan(start, NEW_YORK, HOOK_PROOF_FOMO))
        .containsExactly(
            new StepPlan("hook", 0, utc("2027-12-29T15:00:00Z"), null),
            new StepPlan("proof", 3, utc("2028-01-04T15:00:00Z"), null),
            new StepPlan("fomo", 7, utc("2028-01-10T15:00:00Z"), null));
  }

  @Test
  void startBeforeChristmasObservedOnFridayMovesToMonday() {
    SendPlanner planner = nineToFive(Set.of());
    // Thursday 2027-12-23 18:00; Friday 12-24 is Christmas Day observed.
    List<StepPlan> plan =
        planner.plan(local("2027-12-23T18:00", NEW_YORK), NEW_YORK, HOOK_PROOF_FOMO);

    assertThat(plan.get(0))
        .isEqualTo(new StepPlan("hook", 0, utc("2027-12-27T14:00:00Z"), "outside_window"));
    // Mon 12-27 + 3: Tue (1), Wed (2), Thu 12-30 (3).
    assertThat(plan.get(1).scheduledAt()).isEqualTo(utc("2027-12-30T14:00:00Z"));
    // + 7: Thu 12-30 (3), Mon 01-03 (4), Tue (5), Wed (6), Thu 01-06 (7).
    assertThat(plan.get(2).scheduledAt()).isEqualTo(utc("2028-01-06T14:00:00Z"));

    assertThat(planner.plan(local("2027-12-24T10:00", NEW_YORK), NEW_YORK, HOOK_PROOF_FOMO).get(0))
        .isEqualTo(new StepPlan("hook", 0, utc("2027-12-27T14:00:00Z"), "holiday"));
  }

  @Nested
  class LeadsFarFromUtc {

    private final SendPlanner planner = nineToFive(Set.of());
    private final ZoneId kiritimati = ZoneId.of("Pacific/Kiritimati"); // UTC+14
    private final ZoneId tokyo = ZoneId.of("Asia/Tokyo"); // UTC+9

    @Test
    void startPastTheLocalWindowEndMovesToTheNextLocalBusinessDay() {
      // Tuesday 05:00 UTC is Tuesday 19:00 in Kiritimati.
      Instant start = utc("2027-03-09T05:00:00Z");
      assertThat(planner.firstAllowedAtOrAfter(start, kiritimati))
          .isEqualTo(utc("2027-03-09T19:00:00Z")) // Wednesday 09:00 +14
          .isEqualTo(local("2027-03-10T09:00", kiritimati));
      assertThat(planner.reasonNotAllowed(start, kiritimati)).isEqualTo("outside_window");

      // Tuesday 10:00 UTC is Tuesday 19:00 in Tokyo.
      assertThat(planner.firstAllowedAtOrAfter(utc("2027-03-09T10:00:00Z"), tokyo))
          .isEqualTo(utc("2027-03-10T00:00:00Z")); // Wednesday 09:00 JST
      // The same instant is inside the window in New York (05:00 EST is not) - the lead's zone
      // decides.
      assertThat(planner.isAllowed(utc("2027-03-09T15:00:00Z"), NEW_YORK)).isTrue();
      assertThat(planner.isAllowed(utc("2027-03-09T15:00:00Z"), tokyo)).isFalse();
    }

    @Test
    void weekendAndHolidaysAreTheLeadsLocalDates() {
      // Friday 11:00 UTC is Saturday 01:00 in Kiritimati: next is Monday 09:00 local, which is
      // still Sunday in UTC.
      Instant friday = utc("2027-03-12T11:00:00Z");
      assertThat(planner.firstAllowedAtOrAfter(friday, kiritimati))
          .isEqualTo(utc("2027-03-14T19:00:00Z"));
      assertThat(planner.reasonNotAllowed(friday, kiritimati)).isEqualTo("weekend");

      // Sunday 2027-01-17 20:00 UTC is MLK Day 10:00 in Kiritimati.
      Instant sunday = utc("2027-01-17T20:00:00Z");
      assertThat(planner.reasonNotAllowed(sunday, kiritimati)).isEqualTo("holiday");
      assertThat(planner.firstAllowedAtOrAfter(sunday, kiritimati))
          .isEqualTo(local("2027-01-19T09:00", kiritimati));
    }
  }

  @Test
  void blackoutDatesAreSkipped() {
    SendPlanner planner = nineToFive(Set.of(LocalDate.of(2027, 3, 10)));
    // Tuesday 18:00, Wednesday is a blackout date.
    Instant start = local("2027-03-09T18:00", NEW_YORK);
    assertThat(planner.firstAllowedAtOrAfter(start, NEW_YORK))
        .isEqualTo(utc("2027-03-11T14:00:00Z")); // Thursday 09:00 EST
    assertThat(planner.reasonNotAllowed(local("2027-03-10T10:00", NEW_YORK), NEW_YORK))
        .isEqualTo("blackout");
    // A step one business day after a Tuesday hook lands on Thursday.
    assertThat(planner.planAfter(local("2027-03-09T10:00", NEW_YORK), 1, NEW_YORK))
        .isEqualTo(local("2027-03-11T10:00", NEW_YORK));
    assertThat(
            planner
                .plan(
                    local("2027-03-10T11:00", NEW_YORK), NEW_YORK, List.of(new StepSpec("hook", 0)))
                .get(0))
        .isEqualTo(new StepPlan("hook", 0, utc("2027-03-11T14:00:00Z"), "blackout"));
  }

  @Test
  void customBusinessDaysSundayToThursday() {
    ZoneId dubai = ZoneId.of("Asia/Dubai"); // UTC+4, no DST
    SendPlanner planner =
        new SendPlanner(
            new ScheduleRules(
                "Asia/Dubai", LocalTime.of(9, 0), LocalTime.of(17, 0), SUN_THU, null, Set.of()));
    // Thursday 17:30: Friday and Saturday are not business days.
    Instant start = local("2027-03-11T17:30", dubai);
    assertThat(planner.firstAllowedAtOrAfter(start, dubai))
        .isEqualTo(utc("2027-03-14T05:00:00Z")); // Sunday 09:00 +04
    assertThat(planner.reasonNotAllowed(local("2027-03-12T10:00", dubai), dubai))
        .isEqualTo("weekend");
    // Hook Thursday 10:00, proof 3 business days later: Sun (1), Mon (2), Tue (3).
    assertThat(planner.planAfter(local("2027-03-11T10:00", dubai), 3, dubai))
        .isEqualTo(local("2027-03-16T10:00", dubai));
  }

  @Nested
  class DaylightSavingTime {

    private final SendPlanner wholeDaySunToThu =
        new SendPlanner(new ScheduleRules("America/New_York", null, null, SUN_THU, null, Set.of()));

    @Test
    void nonexistentLocalTimeMovesForwardToTheEndOfTheGap() {
      // Hook Thursday 02:30 EST; one business day later is Sunday 2027-03-14, when 02:00-03:00
      // does not exist in New York.
      Instant hook = local("2027-03-11T02:30", NEW_YORK);
      assertThat(hook).isEqualTo(utc("2027-03-11T07:30:00Z"));

      Instant proof = wholeDaySunToThu.planAfter(hook, 1, NEW_YORK);

      assertThat(proof).isEqualTo(utc("2027-03-14T07:00:00Z"));
      assertThat(proof.atZone(NEW_YORK).toLocalDateTime())
          .isEqualTo(LocalDateTime.parse("2027-03-14T03:00"));
    }

    @Test
    void windowStartInTheGapMovesForwardToTheEndOfTheGap() {
      SendPlanner planner =
          new SendPlanner(
              new ScheduleRules(
                  "America/New_York",
                  LocalTime.of(2, 30),
                  LocalTime.of(5, 0),
                  SUN_THU,
                  null,
                  Set.of()));
      assertThat(planner.firstAllowedAtOrAfter(local("2027-03-13T12:00", NEW_YORK), NEW_YORK))
          .isEqualTo(utc("2027-03-14T07:00:00Z")); // Sunday 03:00 EDT
      // The next day the window starts at 02:30 again.
      assertThat(planner.firstAllowedAtOrAfter(local("2027-03-14T06:00", NEW_YORK), NEW_YORK))
          .isEqualTo(utc("2027-03-15T06:30:00Z")); // Monday 02:30 EDT
    }

    @Test
    void windowWhollyInTheGapHasNoAllowedInstantThatDay() {
      SendPlanner planner =
          new SendPlanner(
              new ScheduleRules(
                  "America/New_York",
                  LocalTime.of(2, 10),
                  LocalTime.of(2, 50),
                  SUN_THU,
                  null,
                  Set.of()));
      assertThat(planner.firstAllowedAtOrAfter(local("2027-03-13T12:00", NEW_YORK), NEW_YORK))
          .isEqualTo(utc("2027-03-15T06:10:00Z")); // Monday 02:10 EDT
    }

    @Test
    void ambiguousLocalTimeTakesTheEarlierOffset() {
      // Hook Thursday 01:30 EDT; Sunday 2027-11-07 has 01:00-02:00 twice (EDT, then EST).
      Instant hook = local("2027-11-04T01:30", NEW_YORK);
      Instant proof = wholeDaySunToThu.planAfter(hook, 1, NEW_YORK);

      assertThat(proof).isEqualTo(utc("2027-11-07T05:30:00Z")); // 01:30 EDT, the first one
      assertThat(ZonedDateTime.ofInstant(proof, NEW_YORK).getOffset().getTotalSeconds())
          .isEqualTo(-4 * 3600);
    }

    @Test
    void stepsAfterTheFallBackKeepTheLocalTime() {
      SendPlanner planner = nineToFive(Set.of());
      // Friday 2027-11-05 10:00 EDT (14:00Z) + 1 business day = Monday 10:00 EST (15:00Z).
      assertThat(planner.planAfter(utc("2027-11-05T14:00:00Z"), 1, NEW_YORK))
          .isEqualTo(utc("2027-11-08T15:00:00Z"));
    }
  }

  @Test
  void smsRulesClampTheWindowToQuietHours() {
    SendPlanner sms = new SendPlanner(ScheduleRules.defaults("America/New_York").forSms());
    // Whole-day email rules allow 07:30; SMS moves it to 08:00.
    Instant early = local("2027-03-09T07:30", NEW_YORK);
    assertThat(
            new SendPlanner(ScheduleRules.defaults("America/New_York")).isAllowed(early, NEW_YORK))
        .isTrue();
    assertThat(sms.firstAllowedAtOrAfter(early, NEW_YORK))
        .isEqualTo(local("2027-03-09T08:00", NEW_YORK));
    assertThat(sms.isAllowed(local("2027-03-09T20:59:59", NEW_YORK), NEW_YORK)).isTrue();
    assertThat(sms.isAllowed(local("2027-03-09T21:00", NEW_YORK), NEW_YORK)).isFalse();
    assertThat(sms.firstAllowedAtOrAfter(local("2027-03-09T21:00", NEW_YORK), NEW_YORK))
        .isEqualTo(local("2027-03-10T08:00", NEW_YORK));
    // A lead in Los Angeles is clamped in its own time.
    ZoneId la = ZoneId.of("America/Los_Angeles");
    assertThat(sms.firstAllowedAtOrAfter(local("2027-03-09T08:00", NEW_YORK), la))
        .isEqualTo(local("2027-03-09T08:00", la));
  }

  @Test
  void reasonStrings() {
    SendPlanner planner = nineToFive(Set.of(LocalDate.of(2027, 3, 10)));
    assertThat(planner.reasonNotAllowed(local("2027-01-18T10:00", NEW_YORK), NEW_YORK))
        .isEqualTo("holiday");
    assertThat(planner.reasonNotAllowed(local("2027-03-13T10:00", NEW_YORK), NEW_YORK))
        .isEqualTo("weekend");
    assertThat(planner.reasonNotAllowed(local("2027-03-10T10:00", NEW_YORK), NEW_YORK))
        .isEqualTo("blackout");
    assertThat(planner.reasonNotAllowed(local("2027-03-09T08:59:59", NEW_YORK), NEW_YORK))
        .isEqualTo("outside_window");
    assertThat(planner.reasonNotAllowed(local("2027-03-09T17:00", NEW_YORK), NEW_YORK))
        .isEqualTo("outside_window"); // the window end is exclusive
    assertThat(planner.reasonNotAllowed(local("2027-03-09T09:00", NEW_YORK), NEW_YORK)).isNull();
    assertThat(planner.reasonNotAllowed(local("2027-03-09T16:59:59", NEW_YORK), NEW_YORK)).isNull();
    // A holiday outside the window is reported as the holiday.
    assertThat(planner.reasonNotAllowed(local("2027-01-18T20:00", NEW_YORK), NEW_YORK))
        .isEqualTo("holiday");
    assertThat(SendPlanner.REASON_OUTSIDE_WINDOW).isEqualTo("outside_window");
  }

  @Test
  void allowedInstantIsKeptExactly() {
    SendPlanner planner = nineToFive(Set.of());
    Instant at = utc("2027-03-09T15:12:34.567Z");
    assertThat(planner.firstAllowedAtOrAfter(at, NEW_YORK)).isEqualTo(at);
    assertThat(planner.plan(at, NEW_YORK, List.of(new StepSpec("hook", 0))))
        .containsExactly(new StepPlan("hook", 0, at, null));
    // Later steps keep the seconds too.
    assertThat(planner.planAfter(at, 1, NEW_YORK)).isEqualTo(utc("2027-03-10T15:12:34.567Z"));
  }

  @Test
  void stepWhoseHookTimeIsPastTheWindowMovesToTheNextWindowStart() {
    SendPlanner planner = nineToFive(Set.of());
    // The hook went out late, at 17:00:05 on Tuesday (say, after a retry).
    Instant late = local("2027-03-09T17:00:05", NEW_YORK);
    // 3 business days later is Friday 17:00:05, outside the window: Monday 09:00.
    assertThat(planner.planAfter(late, 3, NEW_YORK)).isEqualTo(local("2027-03-15T09:00", NEW_YORK));
  }

  @Test
  void planAfterZeroDaysIsTheAnchorDayIfAllowed() {
    SendPlanner planner = nineToFive(Set.of());
    Instant tuesday = local("2027-03-09T10:00", NEW_YORK);
    assertThat(planner.planAfter(tuesday, 0, NEW_YORK)).isEqualTo(tuesday);
    assertThat(planner.planAfter(local("2027-03-13T10:00", NEW_YORK), 0, NEW_YORK))
        .isEqualTo(local("2027-03-15T10:00", NEW_YORK));
  }

  @Test
  void invalidInput() {
    SendPlanner planner = nineToFive(Set.of());
    Instant start = utc("2027-03-09T15:00:00Z");
    assertThatThrownBy(() -> planner.planAfter(start, -1, NEW_YORK))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> planner.plan(start, NEW_YORK, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> planner.plan(start, NEW_YORK, List.of(new StepSpec("hook", 1))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                planner.plan(
                    start, NEW_YORK, List.of(new StepSpec("hook", 0), new StepSpec("proof", 0))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
