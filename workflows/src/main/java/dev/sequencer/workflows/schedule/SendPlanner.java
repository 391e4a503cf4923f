package dev.sequencer.workflows.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans sends under a campaign's rules (API.md, "Scheduling semantics", rules 1-3), in the lead's
 * own time zone. Pure and deterministic; an instance is immutable and thread-safe.
 *
 * <p>An SMS lead in a US state with stricter calling hours ({@link StateCallingHours}) has the
 * campaign's window cut to the state's hours of each day of the week: a time inside the campaign's
 * window but outside the state's hours is not allowed, for the reason {@value #REASON_QUIET_HOURS}.
 *
 * <p>Local times that do not exist (the spring-forward gap) move forward to the first instant after
 * the gap (02:30 on a day that jumps from 02:00 to 03:00 becomes 03:00); ambiguous local times (the
 * fall-back overlap) take the earlier offset, i.e. the first occurrence.
 */
public final class SendPlanner {

  public static final String REASON_HOLIDAY = "holiday";
  public static final String REASON_WEEKEND = "weekend";
  public static final String REASON_BLACKOUT = "blackout";
  public static final String REASON_OUTSIDE_WINDOW = "outside_window";
  public static final String REASON_QUIET_HOURS = "quiet_hours";

  private final ScheduleRules rules;
  private final BusinessCalendar calendar;
  private final SendWindow window;
  private final CallingHours stateHours; // null: none stricter than the window

  /**
   * @throws IllegalArgumentException when the rules name an unsupported holiday calendar
   */
  public SendPlanner(ScheduleRules rules) {
    this(rules, null);
  }

  /**
   * @param stateHours the calling hours of the lead's state, or null when it has none
   * @throws IllegalArgumentException when the rules name an unsupported holiday calendar
   */
  public SendPlanner(ScheduleRules rules, CallingHours stateHours) {
    this.rules = rules;
    this.calendar = new BusinessCalendar(rules);
    this.window = new SendWindow(rules.windowStart(), rules.windowEnd());
    this.stateHours = stateHours;
  }

  public BusinessCalendar calendar() {
    return calendar;
  }

  /**
   * Rule 1: the lead-local date is a business day and the lead-local time is in the window (and in
   * the calling hours of the lead's state).
   */
  public boolean isAllowed(Instant at, ZoneId zone) {
    LocalDateTime local = LocalDateTime.ofInstant(at, zone);
    return calendar.isBusinessDay(local.toLocalDate())
        && windowOn(local.getDayOfWeek()).contains(local.toLocalTime());
  }

  /**
   * Whether some business day of the week has a time inside both the window and the state's calling
   * hours. A campaign whose window lies wholly outside them (08:00-09:00 for a lead in Texas, where
   * texts start at 09:00) can never message the lead.
   */
  public boolean hasAllowedTime() {
    return rules.businessDays().stream().anyMatch(day -> !windowOn(day).isEmpty());
  }

  /**
   * Rules 1 and 2: the first allowed instant at or after {@code at}; {@code at} itself when it is
   * allowed, else the window start of the first business day that still has an allowed instant.
   *
   * @throws IllegalStateException when the rules allow no instant within ten years, or none at all
   *     in the lead's state ({@link #hasAllowedTime})
   */
  public Instant firstAllowedAtOrAfter(Instant at, ZoneId zone) {
    if (!hasAllowedTime()) {
      throw new IllegalStateException(noAllowedTime());
    }
    LocalDate date = LocalDate.ofInstant(at, zone);
    for (int i = 0; i < BusinessCalendar.MAX_SCAN_DAYS; i++) {
      date = calendar.nextBusinessDay(date);
      Instant windowStart = atLocal(date.atTime(windowOn(date.getDayOfWeek()).start()), zone);
      Instant candidate = windowStart.isAfter(at) ? windowStart : at;
      // Not allowed when `at` is past the window end, or when the window lies in a DST gap.
      if (isAllowed(candidate, zone)) {
        return candidate;
      }
      date = date.plusDays(1);
    }
    throw new IllegalStateException("no allowed instant within ten years after " + at);
  }

  /**
   * Rule 3: the instant {@code days} business days after the lead-local date of {@code anchor}, at
   * the anchor's local time of day (moved forward out of a DST gap); then, if that instant is not
   * allowed (outside the window), the first allowed instant after it.
   *
   * @throws IllegalArgumentException when {@code days} is negative
   */
  public Instant planAfter(Instant anchor, int days, ZoneId zone) {
    return firstAllowedAtOrAfter(unmovedAfter(anchor, days, zone), zone);
  }

  /**
   * Why {@code at} is not allowed: "holiday", "weekend" (not one of the business days), "blackout",
   * "outside_window" (the campaign's window, for SMS clamped to the federal 08:00-21:00),
   * "quiet_hours" (inside the window, outside the calling hours of the lead's state), or null when
   * it is allowed. When several apply, the first in that order.
   */
  public String reasonNotAllowed(Instant at, ZoneId zone) {
    LocalDateTime local = LocalDateTime.ofInstant(at, zone);
    String dayReason = calendar.reasonNotBusinessDay(local.toLocalDate());
    if (dayReason != null) {
      return dayReason;
    }
    if (!window.contains(local.toLocalTime())) {
      return REASON_OUTSIDE_WINDOW;
    }
    return windowOn(local.getDayOfWeek()).contains(local.toLocalTime()) ? null : REASON_QUIET_HOURS;
  }

  /** Why no instant is ever allowed, in words for the lead's failure. */
  public String noAllowedTime() {
    return "the send window "
        + window
        + " lies outside the calling hours of "
        + (stateHours == null ? "the lead" : stateHours.state())
        + " on every business day";
  }

  /** The window of a day of the week: the campaign's, cut to the state's hours that day. */
  private SendWindow windowOn(DayOfWeek day) {
    return stateHours == null ? window : window.within(stateHours.on(day));
  }

  /**
   * Plans a sequence: the hook (the first step, day 0) at the first allowed instant at or after
   * {@code sequenceStart}, each later step {@link #planAfter planAfter(hook, day)}. A step's reason
   * is {@link #reasonNotAllowed} of the instant it was moved from (for the hook: {@code
   * sequenceStart}; for later steps: the instant {@code day} business days after the hook at the
   * hook's local time), or null when it was not moved.
   *
   * @throws IllegalArgumentException when there are no steps, the first day is not 0 or the days do
   *     not strictly increase
   */
  public List<StepPlan> plan(Instant sequenceStart, ZoneId zone, List<StepSpec> steps) {
    if (steps == null || steps.isEmpty()) {
      throw new IllegalArgumentException("a sequence needs at least one step");
    }
    if (steps.get(0).day() != 0) {
      throw new IllegalArgumentException("the first step must be on day 0");
    }
    for (int i = 1; i < steps.size(); i++) {
      if (steps.get(i).day() <= steps.get(i - 1).day()) {
        throw new IllegalArgumentException("step days must strictly increase");
      }
    }
    List<StepPlan> plans = new ArrayList<>(steps.size());
    StepSpec hookSpec = steps.get(0);
    Instant hook = firstAllowedAtOrAfter(sequenceStart, zone);
    plans.add(new StepPlan(hookSpec.type(), 0, hook, reasonIfMoved(sequenceStart, hook, zone)));
    for (StepSpec step : steps.subList(1, steps.size())) {
      Instant unmoved = unmovedAfter(hook, step.day(), zone);
      Instant planned = firstAllowedAtOrAfter(unmoved, zone);
      plans.add(
          new StepPlan(step.type(), step.day(), planned, reasonIfMoved(unmoved, planned, zone)));
    }
    return List.copyOf(plans);
  }

  /**
   * A later step planned by this planner's rules after a hook planned by another's: {@code day}
   * business days after the hook, at the hook's local time, moved to the first allowed instant (a
   * step on a channel of its own keeps that channel's window and quiet hours).
   */
  public StepPlan planStepAfterHook(Instant hook, ZoneId zone, StepSpec step) {
    Instant unmoved = unmovedAfter(hook, step.day(), zone);
    Instant planned = firstAllowedAtOrAfter(unmoved, zone);
    return new StepPlan(step.type(), step.day(), planned, reasonIfMoved(unmoved, planned, zone));
  }

  private String reasonIfMoved(Instant unmoved, Instant planned, ZoneId zone) {
    return planned.equals(unmoved) ? null : reasonNotAllowed(unmoved, zone);
  }

  /** {@code days} business days after the anchor's local date, at the anchor's local time. */
  private Instant unmovedAfter(Instant anchor, int days, ZoneId zone) {
    LocalDateTime local = LocalDateTime.ofInstant(anchor, zone);
    LocalDate date = calendar.addBusinessDays(local.toLocalDate(), days);
    return atLocal(date.atTime(local.toLocalTime()), zone);
  }

  /**
   * The instant of a lead-local date-time: in a DST gap, the end of the gap (the first local time
   * that exists); in an overlap, the earlier offset.
   */
  static Instant atLocal(LocalDateTime local, ZoneId zone) {
    ZoneRules rules = zone.getRules();
    if (rules.getValidOffsets(local).isEmpty()) {
      return rules.getTransition(local).getInstant();
    }
    // ZonedDateTime.of keeps the earlier offset of an overlap.
    return ZonedDateTime.of(local, zone).toInstant();
  }
}
