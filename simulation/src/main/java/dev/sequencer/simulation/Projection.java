package dev.sequencer.simulation;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A campaign's projected calendar. With a sample, every count is scaled to the campaign's leads.
 *
 * @param leads the campaign's leads the projection covers (those not yet ended)
 * @param simulatedLeads how many of them ran through the workflow
 * @param days sends per local day of the campaign's time zone, in date order
 * @param deferred sends that went out later than their business day would have them, by reason
 * @param autoWinner the variant the auto-winner rules would pick and when, or null
 */
public record Projection(
    long leads,
    long simulatedLeads,
    Instant firstSendAt,
    Instant lastSendAt,
    List<Day> days,
    Map<String, Long> deferred,
    Outcomes projected,
    Winner autoWinner,
    List<String> warnings) {

  /** One local day's sends. */
  public record Day(
      LocalDate date, long sends, Map<String, Long> byStep, Map<String, Long> byVariant) {}

  /** What the drawn rates make of the leads. */
  public record Outcomes(
      long sent,
      long replied,
      long optedOut,
      long bounced,
      long completed,
      long holdout,
      long suppressed) {}

  /**
   * The auto-winner decision the campaign would record.
   *
   * @param decidedOn the local day whose replies make the test significant
   */
  public record Winner(String variant, LocalDate decidedOn, double pValue) {}
}
