package dev.sequencer.api.console;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.lead.LeadEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A timeline entry in plain words: what happened and, for a deferral, why and until when. */
final class TimelineWords {

  private static final Pattern DEFERRED = Pattern.compile("^(\\w+), (?:slot|next attempt) (\\S+)$");
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH);

  private TimelineWords() {}

  /**
   * @param leadState the US state whose calling hours the lead's texts keep, or null
   */
  static String of(LeadEvent event, Campaign campaign, ZoneId leadZone, String leadState) {
    String step = event.step() == null ? "" : " (" + event.step() + ")";
    String detail = event.detail() == null ? "" : event.detail();
    if ("deferred".equals(event.event())) {
      Matcher m = DEFERRED.matcher(detail);
      if (m.matches()) {
        try {
          Instant until = Instant.parse(m.group(2));
          return "moved to "
              + WHEN.format(until.atZone(leadZone))
              + " (lead's time)"
              + step
              + ": "
              + Reasons.of(m.group(1), campaign, until, leadZone, leadState)
                  .replaceFirst("^moved: ", "")
                  .replaceFirst(" \\(now [^)]*\\)$", "");
        } catch (DateTimeParseException e) {
          // Fall through to the stored words.
        }
      }
    }
    String what =
        switch (event.event()) {
          case "replied" -> "stopped: replied " + quoted(detail);
          case "sent" -> "sent" + step;
          case "opted_out" -> "opted out";
          case "bounced" -> "bounced";
          default -> event.event().replace('_', ' ') + step;
        };
    return event.event().equals("replied") || detail.isBlank() ? what : what + ": " + detail;
  }

  private static String quoted(String detail) {
    return detail.isBlank() ? "" : "'" + detail + "'";
  }
}
