package dev.sequencer.simulation;

import dev.sequencer.activities.limits.SlotSearch;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.quota.SendReservations.Reservation;
import dev.sequencer.workflows.lead.LeadEnding;
import dev.sequencer.workflows.lead.LeadOutcome;
import dev.sequencer.workflows.lead.SendActivities;
import dev.sequencer.workflows.lead.SendRequest;
import dev.sequencer.workflows.lead.SendResult;
import dev.sequencer.workflows.schedule.SendPlanner;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The send activities of a simulation: the checks a real send makes before its hand-over — the
 * window, the frequency cap, the per-minute and daily limits — in the same order and with the same
 * answers, and instead of a hand-over a count. A drawn reply, opt-out or bounce happens right after
 * the step it was drawn for, and the lead's next send finds it, as a real send finds the store
 * changed.
 */
final class SimulatedSending implements SendActivities {

  /** A recipient's last message and the lead it went to. */
  private record LastSend(long leadPk, Instant at) {}

  /** How far the private server's clock may run past a step's due instant while it is processed. */
  private static final Duration LAG = Duration.ofMinutes(5);

  private final SimulationRun run;
  private final Map<String, LastSend> lastSends = new HashMap<>();
  private final Map<Instant, Integer> minutes = new HashMap<>();

  /**
   * @param earlierSends what the organization's other campaigns sent each recipient lately, for the
   *     frequency cap
   */
  SimulatedSending(SimulationRun run, Map<String, Instant> earlierSends) {
    this.run = run;
    earlierSends.forEach((recipient, at) -> lastSends.put(recipient, new LastSend(-1, at)));
  }

  @Override
  public synchronized SendResult sendStep(SendRequest request) {
    SimulatedLead lead = run.lead(request.leadPk());
    Instant now = effectiveNow(lead, request);
    if (lead.stopped() != null) {
      return SendResult.stopped(lead.stopped());
    }
    SendPlanner planner = run.planner(lead);
    if (!planner.isAllowed(now, lead.zone)) {
      return defer(
          lead,
          request,
          planner.firstAllowedAtOrAfter(now, lead.zone),
          planner.reasonNotAllowed(now, lead.zone));
    }
    Campaign campaign = run.campaign();
    Integer capDays = campaign.limits() == null ? null : campaign.limits().frequencyCapDays();
    if (capDays != null && capDays > 0 && lead.recipient != null) {
      LastSend last = lastSends.get(lead.recipient);
      Instant until = last == null ? null : last.at().plus(Duration.ofDays(capDays));
      if (last != null && last.leadPk() != lead.pk && until.isAfter(now)) {
        return defer(
            lead, request, planner.firstAllowedAtOrAfter(until, lead.zone), "frequency_cap");
      }
    }
    Integer perMinute = campaign.limits() == null ? null : campaign.limits().perMinute();
    Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
    if (perMinute != null) {
      int allowed = (int) Math.max(1, Math.ceil(perMinute * run.share()));
      if (minutes.getOrDefault(minute, 0) >= allowed) {
        return defer(
            lead,
            request,
            planner.firstAllowedAtOrAfter(minute.plus(1, ChronoUnit.MINUTES), lead.zone),
            "per_minute");
      }
    }
    if (run.limited()) {
      Optional<String> waitReason = takeDailyUnit(lead, request, now);
      if (waitReason.isPresent()) {
        return SendResult.deferred(
            run.ledger().heldFor(key(request)).orElseThrow().at(), waitReason.get());
      }
    }
    if (perMinute != null) {
      minutes.merge(minute, 1, Integer::sum);
    }
    if (lead.recipient != null) {
      lastSends.put(lead.recipient, new LastSend(lead.pk, now));
    }
    run.tally().sent(lead, request.position(), request.stepType(), now);
    SimulatedLead.Response response = lead.response;
    if (response.ending() != null && response.afterPosition() == request.position()) {
      run.tally().responded(lead, response.ending(), now);
      if (response.ending() != LeadEnding.REPLIED || campaign.stopOnReply()) {
        lead.stop(response.ending());
      }
    }
    return SendResult.sent(now, "simulated:" + key(request));
  }

  /**
   * Uses the step's slot, or today's unit when it reserved none; else reserves the first free slot
   * and says why the step waits.
   */
  private Optional<String> takeDailyUnit(SimulatedLead lead, SendRequest request, Instant now) {
    DayLedger ledger = run.ledger();
    String key = key(request);
    synchronized (ledger) {
      if (ledger.use(key).isPresent()) {
        return Optional.empty();
      }
      int limit = run.campaign().limits().dailyLimit();
      if (ledger.takeUnit(LocalDate.ofInstant(now, run.campaignZone()), limit)) {
        return Optional.empty();
      }
      SlotSearch.Found found =
          SlotSearch.first(run.campaign(), key, now, lead.zone, lead.state, ledger, false);
      ledger.hold(
          new Reservation(key, run.campaign().id(), lead.pk, found.day(), found.at(), null, null));
      String reason = found.reason() == null ? "daily_limit" : found.reason();
      run.tally().moved(lead, request.position(), reason, found.at());
      return Optional.of(reason);
    }
  }

  @Override
  public void finishSequence(long leadPk, LeadOutcome outcome) {
    run.ledger().releaseAll(leadPk);
    run.tally().finished(outcome.status());
  }

  /**
   * The instant the step was due when its timer fired for it: the private server's clock runs on by
   * the real time the simulation takes to process a busy instant (a thousand hooks due at 09:00
   * would otherwise go out over a few "seconds"), and a projection must not depend on how fast the
   * machine was. Later than that (a send that waited on a pause or retry), the workflow's clock.
   */
  private Instant effectiveNow(SimulatedLead lead, SendRequest request) {
    Instant due = run.tally().dueOf(lead, request.position());
    Instant clock = request.workflowTime();
    return due != null && !due.isAfter(clock) && Duration.between(due, clock).compareTo(LAG) <= 0
        ? due
        : clock;
  }

  private SendResult defer(SimulatedLead lead, SendRequest request, Instant at, String reason) {
    run.tally().moved(lead, request.position(), reason, at);
    return SendResult.deferred(at, reason);
  }

  private static String key(SendRequest request) {
    return request.workflowId() + ":" + request.position();
  }
}
