package dev.sequencer.workflows.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScheduleRulesTest {

  private static final Set<DayOfWeek> MON_FRI = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);

  private static ScheduleRules window(LocalTime start, LocalTime end) {
    return new ScheduleRules("America/New_York", start, end, MON_FRI, "US", Set.of());
  }

  @Test
  void defaultsAreWholeDayWeekdaysUsHolidays() {
    ScheduleRules rules = ScheduleRules.defaults("Europe/Berlin");
    assertThat(rules.timezone()).isEqualTo("Europe/Berlin");
    assertThat(rules.windowStart()).isNull();
    assertThat(rules.windowEnd()).isNull();
    assertThat(rules.businessDays()).containsExactlyElementsOf(MON_FRI);
    assertThat(rules.holidayCalendar()).isEqualTo("US");
    assertThat(rules.blackoutDates()).isEmpty();
  }

  @Test
  void forSmsClampsTheWindowIntoQuietHours() {
    LocalTime eight = LocalTime.of(8, 0);
    LocalTime nine = LocalTime.of(21, 0);
    ScheduleRules wholeDay = ScheduleRules.defaults("America/New_York").forSms();
    assertThat(wholeDay.windowStart()).isEqualTo(eight);
    assertThat(wholeDay.windowEnd()).isEqualTo(nine);

    ScheduleRules wide = window(LocalTime.of(7, 0), LocalTime.of(22, 0)).forSms();
    assertThat(wide.windowStart()).isEqualTo(eight);
    assertThat(wide.windowEnd()).isEqualTo(nine);

    ScheduleRules office = window(LocalTime.of(9, 0), LocalTime.of(17, 0));
    assertThat(office.forSms()).isEqualTo(office);

    ScheduleRules evening = window(LocalTime.of(20, 0), null).forSms();
    assertThat(evening.windowStart()).isEqualTo(LocalTime.of(20, 0));
    assertThat(evening.windowEnd()).isEqualTo(nine);

    // Everything else is kept.
    assertThat(wide.businessDays()).isEqualTo(office.businessDays());
    assertThat(wide.holidayCalendar()).isEqualTo("US");

    assertThatThrownBy(() -> window(LocalTime.of(5, 0), LocalTime.of(7, 0)).forSms())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> window(LocalTime.of(21, 0), null).forSms())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsInvalidRules() {
    assertThatThrownBy(() -> window(LocalTime.of(17, 0), LocalTime.of(9, 0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> window(LocalTime.of(9, 0), LocalTime.of(9, 0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> window(null, LocalTime.MIDNIGHT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScheduleRules("Mars/Olympus", null, null, MON_FRI, "US", Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScheduleRules(null, null, null, MON_FRI, "US", Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new ScheduleRules("UTC", null, null, EnumSet.noneOf(DayOfWeek.class), "US", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScheduleRules("UTC", null, null, null, "US", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScheduleRules("UTC", null, null, MON_FRI, "XX", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void setsAreNormalisedToAFixedOrderAndUnmodifiable() {
    Set<DayOfWeek> days = new LinkedHashSet<>(List.of(DayOfWeek.FRIDAY, DayOfWeek.MONDAY));
    Set<LocalDate> dates =
        new LinkedHashSet<>(List.of(LocalDate.of(2027, 12, 31), LocalDate.of(2027, 12, 24)));
    ScheduleRules rules = new ScheduleRules("UTC", null, null, days, null, dates);
    assertThat(rules.businessDays()).containsExactly(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
    assertThat(rules.blackoutDates())
        .containsExactly(LocalDate.of(2027, 12, 24), LocalDate.of(2027, 12, 31));
    assertThatThrownBy(() -> rules.businessDays().add(DayOfWeek.SUNDAY))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(new ScheduleRules("UTC", null, null, days, null, null).blackoutDates()).isEmpty();
    assertThat(rules)
        .isEqualTo(new ScheduleRules("UTC", null, null, Set.copyOf(days), null, dates));
  }

  @Test
  void recordsRoundTripThroughTemporalsDefaultDataConverter() {
    DataConverter converter = DefaultDataConverter.STANDARD_INSTANCE;
    ScheduleRules rules =
        new ScheduleRules(
            "America/New_York",
            LocalTime.of(9, 30),
            LocalTime.of(17, 0),
            EnumSet.of(DayOfWeek.SUNDAY, DayOfWeek.MONDAY),
            "DE",
            Set.of(LocalDate.of(2027, 12, 24)));
    assertThat(roundTrip(converter, rules, ScheduleRules.class)).isEqualTo(rules);
    ScheduleRules defaults = ScheduleRules.defaults("UTC");
    assertThat(roundTrip(converter, defaults, ScheduleRules.class)).isEqualTo(defaults);

    StepPlan plan = new StepPlan("proof", 3, Instant.parse("2027-03-17T14:00:00Z"), null);
    assertThat(roundTrip(converter, plan, StepPlan.class)).isEqualTo(plan);
    StepPlan moved = new StepPlan("hook", 0, Instant.parse("2027-03-17T14:00:00.5Z"), "holiday");
    assertThat(roundTrip(converter, moved, StepPlan.class)).isEqualTo(moved);
    StepSpec spec = new StepSpec("fomo", 7);
    assertThat(roundTrip(converter, spec, StepSpec.class)).isEqualTo(spec);

    // The JSON carries only the record components.
    String json = converter.toPayload(defaults).orElseThrow().getData().toStringUtf8();
    assertThat(json)
        .contains("\"timezone\"", "\"businessDays\"", "\"holidayCalendar\"", "\"blackoutDates\"")
        .doesNotContain("forSms");
  }

  private static <T> T roundTrip(DataConverter converter, T value, Class<T> type) {
    Payload payload = converter.toPayload(value).orElseThrow();
    return converter.fromPayload(payload, type, type);
  }
}
