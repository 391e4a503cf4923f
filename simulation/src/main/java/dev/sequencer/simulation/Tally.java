package dev.sequencer.simulation;

import dev.sequencer.analysis.VariantOutcomes;
import dev.sequencer.analysis.WinnerDecision;
import dev.sequencer.store.campaign.AutoWinner;
import dev.sequencer.workflows.lead.LeadEnding;
import dev.sequencer.workflows.lead.PlannedStep;
import dev.sequencer.workflows.schedule.BusinessCalendar;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the simulated sends add up to. Every step's latest reason (from its plan, its slot or a
 * deferral) is kept until the step goes out, and then counted once under that reason.
 */
final class Tally {

  /**
   * The reasons reported as deferrals; a spread inside the day ({@code min_spacing}) is not one.
   */
  static final List<String> REPORTED_REASONS =
      List.of("daily_limit", "holiday", "weekend", "outside_window");

  private static final Set<String> NOT_DEFERRALS = Set.of("min_spacing", "paused");

  /** A share of hooks this late (in business days) or later is worth a warning. */
  static final int LATE_HOOK_BUSINESS_DAYS = 3;

  private static final class DayCounts {
    long sends;
    final Map<String, Long> byStep = new LinkedHashMap<>();
    final Map<String, Long> byVariant = new TreeMap<>();
  }

  private final ZoneId campaignZone;
  private final BusinessCalendar calendar;
  private final List<String> stepTypes;
  private final List<String> variants;
  private final TreeMap<LocalDate, DayCounts> days = new TreeMap<>();
  private final Map<String, String> reasons = new HashMap<>();
  private final Map<String, Instant> due = new HashMap<>();
  private final Map<Long, LocalDate> plannedHookDays = new HashMap<>();
  private final Map<String, Long> deferred = new LinkedHashMap<>();
  private final Map<String, TreeMap<LocalDate, long[]>> variantDays = new HashMap<>();
  private Instant first;
  private Instant last;
  private long sent;
  private long replied;
  private long optedOut;
  private long bounced;
  private long completed;
  private long hooks;
  private long lateHooks;

  Tally(
      ZoneId campaignZone,
      BusinessCalendar calendar,
      List<String> stepTypes,
      List<String> variants) {
    this.campaignZone = campaignZone;
    this.calendar = calendar;
    this.stepTypes = stepTypes;
    this.variants = variants;
    for (String reason : REPORTED_REASONS) {
      deferred.put(reason, 0L);
    }
  }

  synchronized void planned(SimulatedLead lead, List<PlannedStep> steps) {
    for (PlannedStep step : steps) {
      reasons.put(key(lead, step.position()), step.reason());
      due.put(key(lead, step.position()), step.scheduledAt());
      if (step.position() == 0) {
        plannedHookDays.putIfAbsent(lead.pk, LocalDate.ofInstant(step.scheduledAt(), campaignZone));
      }
    }
  }

  /** The step moved to {@code at} for {@code reason}. */
  synchronized void moved(SimulatedLead lead, int position, String reason, Instant at) {
    reasons.put(key(lead, position), reason);
    due.put(key(lead, position), at);
  }

  /** When the step is due by its latest plan, slot or deferral; null before it is planned. */
  synchronized Instant dueOf(SimulatedLead lead, int position) {
    return due.get(key(lead, position));
  }

  synchronized void sent(SimulatedLead lead, int position, String stepType, Instant at) {
    LocalDate day = LocalDate.ofInstant(at, campaignZone);
    DayCounts counts = days.computeIfAbsent(day, d -> newDay());
    counts.sends++;
    counts.byStep.merge(stepType, 1L, Long::sum);
    counts.byVariant.merge(lead.variant, 1L, Long::sum);
    sent++;
    first = first == null || at.isBefore(first) ? at : first;
    last = last == null || at.isAfter(last) ? at : last;
    String reason = reasons.remove(key(lead, position));
    due.remove(key(lead, position));
    if (reason != null && !NOT_DEFERRALS.contains(reason)) {
      deferred.merge(reason, 1L, Long::sum);
    }
    if (position == 0) {
      hooks++;
      variantDay(lead.variant, day)[0]++;
      LocalDate planned = plannedHookDays.get(lead.pk);
      if ("daily_limit".equals(reason)
          && planned != null
          && businessDaysBetween(planned, day) >= LATE_HOOK_BUSINESS_DAYS) {
        lateHooks++;
      }
    }
  }

  synchronized void responded(SimulatedLead lead, LeadEnding ending, Instant at) {
    switch (ending) {
      case REPLIED -> {
        replied++;
        variantDay(lead.variant, LocalDate.ofInstant(at, campaignZone))[1]++;
      }
      case OPTED_OUT -> {
        optedOut++;
        variantDay(lead.variant, LocalDate.ofInstant(at, campaignZone))[2]++;
      }
      case BOUNCED -> bounced++;
      default -> {}
    }
  }

  synchronized void finished(LeadEnding ending) {
    if (ending == LeadEnding.COMPLETED) {
      completed++;
    }
  }

  /** The days, scaled by {@code scale} (1 / the sample's share). */
  synchronized List<Projection.Day> days(double scale) {
    List<Projection.Day> out = new ArrayList<>();
    days.forEach(
        (date, counts) ->
            out.add(
                new Projection.Day(
                    date,
                    scaled(counts.sends, scale),
                    scaledAll(counts.byStep, scale),
                    scaledAll(counts.byVariant, scale))));
    return out;
  }

  synchronized Map<String, Long> deferred(double scale) {
    return scaledAll(deferred, scale);
  }

  synchronized Projection.Outcomes outcomes(double scale, long holdout, long suppressed) {
    return new Projection.Outcomes(
        scaled(sent, scale),
        scaled(replied, scale),
        scaled(optedOut, scale),
        scaled(bounced, scale),
        scaled(completed, scale),
        holdout,
        suppressed);
  }

  synchronized Instant first() {
    return first;
  }

  synchronized Instant last() {
    return last;
  }

  /** The share of hooks a daily limit put {@link #LATE_HOOK_BUSINESS_DAYS} or more late, 0..1. */
  synchronized double lateHookShare() {
    return hooks == 0 ? 0 : (double) lateHooks / hooks;
  }

  /**
   * The first local day after which the campaign's auto-winner rules, applied to the projected
   * hooks and replies up to that day, pick a winner; null when they never do (or only a reply rate
   * can be projected and the campaign tests another metric).
   */
  synchronized Projection.Winner autoWinner(AutoWinner settings, double scale) {
    if (settings == null
        || !settings.enabled()
        || variants.size() < 2
        || !"reply_rate".equals(settings.metric())) {
      return null;
    }
    TreeMap<LocalDate, Boolean> allDays = new TreeMap<>();
    variantDays.values().forEach(byDay -> byDay.keySet().forEach(d -> allDays.put(d, true)));
    Map<String, long[]> totals = new HashMap<>();
    for (LocalDate day : allDays.keySet()) {
      List<VariantOutcomes> outcomes = new ArrayList<>();
      for (String variant : variants) {
        long[] total = totals.computeIfAbsent(variant, v -> new long[3]);
        long[] today = variantDays.getOrDefault(variant, new TreeMap<>()).get(day);
        if (today != null) {
          for (int i = 0; i < 3; i++) {
            total[i] += today[i];
          }
        }
        long messaged = scaled(total[0], scale);
        outcomes.add(
            new VariantOutcomes(
                variant,
                messaged,
                Math.min(messaged, scaled(total[1], scale)),
                Math.min(messaged, scaled(total[2], scale))));
      }
      WinnerDecision.Evaluation evaluation =
          WinnerDecision.evaluate(
              settings.metric(), settings.confidence(), settings.minSample(), outcomes);
      if (evaluation.outcome() == WinnerDecision.Outcome.WINNER) {
        return new Projection.Winner(evaluation.winner(), day, evaluation.test().pValue());
      }
    }
    return null;
  }

  private long[] variantDay(String variant, LocalDate day) {
    return variantDays
        .computeIfAbsent(variant, v -> new TreeMap<>())
        .computeIfAbsent(day, d -> new long[3]);
  }

  private DayCounts newDay() {
    DayCounts counts = new DayCounts();
    for (String type : stepTypes) {
      counts.byStep.put(type, 0L);
    }
    for (String variant : variants) {
      counts.byVariant.put(variant, 0L);
    }
    return counts;
  }

  /** Business days after {@code from} up to and including {@code to}. */
  private long businessDaysBetween(LocalDate from, LocalDate to) {
    long count = 0;
    for (LocalDate d = from.plusDays(1); !d.isAfter(to); d = d.plusDays(1)) {
      if (calendar.isBusinessDay(d)) {
        count++;
      }
    }
    return count;
  }

  private static String key(SimulatedLead lead, int position) {
    return lead.pk + ":" + position;
  }

  private static long scaled(long count, double scale) {
    return Math.round(count * scale);
  }

  private static Map<String, Long> scaledAll(Map<String, Long> counts, double scale) {
    Map<String, Long> out = new LinkedHashMap<>();
    counts.forEach((k, v) -> out.put(k, scaled(v, scale)));
    return out;
  }
}
