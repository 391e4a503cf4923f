package dev.sequencer.content;

import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Parsing of IANA time zone ids such as {@code America/New_York}.
 *
 * <p>Only region ids ({@code Area/Location}) and {@code UTC} are accepted. Fixed offsets ({@code
 * +02:00}, {@code UTC+2}, {@code Etc/GMT-2}) ignore daylight saving time, abbreviations ({@code
 * EST}, {@code PST}) and legacy ids ({@code EST5EDT}, {@code CET}, {@code SystemV/...}) are
 * ambiguous or Java-specific: a lead's local time computed from them is wrong part of the year.
 */
public final class Zones {

  private static final Pattern OFFSET_ZONE = Pattern.compile("Etc/GMT[+-]?\\d+");
  private static final Map<String, String> ACCEPTED =
      ZoneId.getAvailableZoneIds().stream()
          .filter(Zones::isRegionId)
          .collect(
              Collectors.toUnmodifiableMap(id -> id.toLowerCase(Locale.ROOT), Function.identity()));

  private Zones() {}

  /**
   * The zone named by {@code id}, matched case-insensitively ({@code america/new_york} gives {@code
   * America/New_York}).
   *
   * @throws InvalidZoneException if {@code id} is not an accepted IANA region id
   */
  public static ZoneId parse(String id) {
    if (id == null || id.isBlank()) {
      throw new InvalidZoneException("Time zone is empty");
    }
    String canonical = ACCEPTED.get(id.strip().toLowerCase(Locale.ROOT));
    if (canonical == null) {
      throw new InvalidZoneException(
          "Unknown time zone '"
              + id.strip()
              + "': use an IANA time zone id like America/New_York or UTC");
    }
    return ZoneId.of(canonical);
  }

  private static boolean isRegionId(String id) {
    if (id.equals("UTC")) {
      return true;
    }
    return id.indexOf('/') > 0 && !id.startsWith("SystemV/") && !OFFSET_ZONE.matcher(id).matches();
  }
}
