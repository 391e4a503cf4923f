package dev.sequencer.app;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.stream.Stream;

/** Where the SMS tests' leads live, so that their messages need not wait for the quiet hours. */
public final class SmsHours {

  private SmsHours() {}

  /**
   * A zone where it is between 09:00 and 17:00 at {@code now} — the clock the sequences plan by,
   * which time skipping may have moved ahead of the wall clock — so the hooks go out at once,
   * inside the SMS hours (08:00–21:00), and the later steps at the hook's time of day. No two
   * neighbouring zones are more than three hours apart, so at any instant one of them qualifies.
   */
  public static ZoneId zoneWithinSmsHours(Instant now) {
    return Stream.of(
            "Pacific/Honolulu",
            "America/Anchorage",
            "America/Los_Angeles",
            "America/Denver",
            "America/Chicago",
            "America/New_York",
            "America/Sao_Paulo",
            "Atlantic/Cape_Verde",
            "Europe/London",
            "Europe/Berlin",
            "Europe/Athens",
            "Europe/Moscow",
            "Asia/Dubai",
            "Asia/Karachi",
            "Asia/Dhaka",
            "Asia/Bangkok",
            "Asia/Shanghai",
            "Asia/Tokyo",
            "Australia/Brisbane",
            "Pacific/Noumea",
            "Pacific/Auckland")
        .map(ZoneId::of)
        .filter(
            zone -> {
              LocalTime local = now.atZone(zone).toLocalTime();
              return !local.isBefore(LocalTime.of(9, 0)) && local.isBefore(LocalTime.of(17, 0));
            })
        .findFirst()
        .orElseThrow();
  }
}
