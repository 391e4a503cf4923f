package dev.sequencer.workflows.schedule;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * US states whose laws allow marketing calls and texts in fewer hours than the federal 08:00-21:00
 * (47 CFR 64.1200(c)(1)), at the recipient's location. A state missing here has no stricter hours
 * the service knows of, and its leads keep the federal hours.
 *
 * <p>Each entry cites the statute it comes from. Statutes change: an entry is added or changed only
 * with its citation, checked against the statute's text. Where several laws set hours, the entry
 * keeps the strictest.
 */
public final class StateCallingHours {

  private static final LocalTime EIGHT = LocalTime.of(8, 0);
  private static final LocalTime NINE = LocalTime.of(9, 0);
  private static final LocalTime NOON = LocalTime.NOON;
  private static final LocalTime EIGHT_PM = LocalTime.of(20, 0);
  private static final LocalTime NINE_PM = LocalTime.of(21, 0);

  private static final Map<String, CallingHours> TABLE =
      Map.of(
          // Fla. Stat. § 501.616(6)(a) (Florida Telemarketing Act; 8 p.m. since ch. 2021-185, SB
          // 1120): no commercial telephone solicitation before 8 a.m. or after 8 p.m. at the called
          // person's location. The same act made § 501.059, the Telephone Solicitation Act, cover
          // text messages.
          "FL", CallingHours.everyDay("FL", EIGHT, EIGHT_PM),
          // Okla. Stat. tit. 15, § 775C.4 (Telephone Solicitation Act of 2022, in force since
          // 2022-11-01): not before 8 a.m. or after 8 p.m. at the called party's location.
          "OK", CallingHours.everyDay("OK", EIGHT, EIGHT_PM),
          // Md. Code, Com. Law § 14-4501 et seq. (Stop the Spam Calls Act of 2023, in force since
          // 2024-01-01): telephone solicitations, texts included, only from 8 a.m. to 8 p.m. in the
          // called party's time zone.
          "MD", CallingHours.everyDay("MD", EIGHT, EIGHT_PM),
          // RCW 80.36.390 (telephone solicitation) and RCW 19.158.040(2): no call received before
          // 8:00 a.m. or after 8:00 p.m. at the recipient's local time.
          "WA", CallingHours.everyDay("WA", EIGHT, EIGHT_PM),
          // Conn. Gen. Stat. § 42-288a (as amended in 2023, text and media messages included): not
          // before 9 a.m. or after 8 p.m. at the consumer's location.
          "CT", CallingHours.everyDay("CT", NINE, EIGHT_PM),
          // Tex. Bus. & Com. Code § 301.051 (former § 37.02): not before 9 a.m. or after 9 p.m. on
          // a weekday or Saturday, nor before noon or after 9 p.m. on a Sunday.
          "TX", texas());

  private StateCallingHours() {}

  /** The stricter hours of a state, by its two-letter code in any case; empty for none. */
  public static Optional<CallingHours> of(String state) {
    return state == null
        ? Optional.empty()
        : Optional.ofNullable(TABLE.get(state.strip().toUpperCase(Locale.ROOT)));
  }

  /** The states with stricter hours. */
  public static Set<String> states() {
    return TABLE.keySet();
  }

  private static CallingHours texas() {
    Map<DayOfWeek, CallingHours.Hours> days = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek day : DayOfWeek.values()) {
      days.put(day, new CallingHours.Hours(day == DayOfWeek.SUNDAY ? NOON : NINE, NINE_PM));
    }
    return new CallingHours("TX", days);
  }
}
