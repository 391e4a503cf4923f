package dev.sequencer.analysis.conversion;

import dev.sequencer.store.Ids;
import dev.sequencer.store.campaign.Campaign;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Service;

/** Attributes a reported conversion to a lead of the campaign and stores it. */
@Service
public class ConversionRecorder {

  private final Conversions conversions;
  private final Clock clock;

  public ConversionRecorder(Conversions conversions, Clock clock) {
    this.conversions = conversions;
    this.clock = clock;
  }

  /**
   * Records a conversion of one of {@code candidates} (the leads the caller's lead id, email or
   * phone names; several when the campaign has more than one lead with that address). The
   * conversion goes to the candidate it can be attributed to, the one with the latest message or
   * enrolment if several; when none qualifies, to the most recently added candidate, unattributed.
   *
   * @param occurredAt at most microsecond precision, as stored
   */
  public Conversions.Stored record(
      Campaign campaign,
      List<Conversions.LeadRef> candidates,
      String event,
      BigDecimal value,
      Instant occurredAt) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("no lead to attribute the conversion to");
    }
    record Candidate(Conversions.LeadRef lead, Attribution attribution) {}
    Candidate chosen =
        candidates.stream()
            .map(lead -> new Candidate(lead, attribute(campaign, lead, occurredAt)))
            .max(
                Comparator.comparing((Candidate c) -> c.attribution().attributed())
                    .thenComparing(
                        c -> c.attribution().basisAt(),
                        Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(c -> c.lead().pk()))
            .orElseThrow();
    return conversions.insert(
        Ids.next("cnv"),
        campaign.organizationId(),
        campaign.id(),
        chosen.lead(),
        event,
        value,
        occurredAt,
        chosen.attribution(),
        clock.instant());
  }

  private Attribution attribute(Campaign campaign, Conversions.LeadRef lead, Instant occurredAt) {
    int window = campaign.attributionWindowDays();
    if (lead.isHoldout()) {
      return Attribution.of(occurredAt, window, null, conversions.holdoutEnrolment(lead));
    }
    return Attribution.of(
        occurredAt,
        window,
        conversions.lastMessageAtOrBefore(lead.pk(), occurredAt).orElse(null),
        null);
  }
}
