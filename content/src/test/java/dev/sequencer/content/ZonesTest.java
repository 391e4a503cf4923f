package dev.sequencer.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ZonesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "America/New_York",
        "America/Chicago",
        "America/Los_Angeles",
        "America/Argentina/Buenos_Aires",
        "America/Indiana/Indianapolis",
        "Europe/London",
        "Europe/Berlin",
        "Asia/Kolkata",
        "Australia/Sydney",
        "Pacific/Auckland",
        "Etc/UTC",
        "UTC",
      })
  void acceptsIanaRegionIds(String id) {
    assertThat(Zones.parse(id)).isEqualTo(ZoneId.of(id));
  }

  @Test
  void utcIsARegionNotAnOffset() {
    assertThat(Zones.parse("UTC").getId()).isEqualTo("UTC");
    assertThat(Zones.parse("Etc/UTC").getId()).isEqualTo("Etc/UTC");
    assertThat(Zones.parse("UTC")).isNotInstanceOf(ZoneOffset.class);
  }

  @Test
  void matchesCaseInsensitivelyAndReturnsTheCanonicalId() {
    assertThat(Zones.parse("america/new_york")).isEqualTo(ZoneId.of("America/New_York"));
    assertThat(Zones.parse(" EUROPE/LONDON ")).isEqualTo(ZoneId.of("Europe/London"));
    assertThat(Zones.parse("utc")).isEqualTo(ZoneId.of("UTC"));
  }

  @Test
  void acceptsIanaLinksForRenamedZones() {
    assertThat(Zones.parse("US/Eastern")).isEqualTo(ZoneId.of("US/Eastern"));
    assertThat(Zones.parse("Asia/Calcutta")).isEqualTo(ZoneId.of("Asia/Calcutta"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "+02:00",
        "-05:00",
        "Z",
        "UTC+2",
        "UTC-05:00",
        "GMT+1",
        "UT+3",
        "Etc/GMT+5",
        "Etc/GMT-14",
        "Etc/GMT0"
      })
  void rejectsOffsets(String id) {
    assertThatThrownBy(() -> Zones.parse(id))
        .isInstanceOf(InvalidZoneException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("IANA time zone id");
  }

  @ParameterizedTest
  @ValueSource(strings = {"EST", "PST", "CST", "MST", "HST", "IST", "BST", "CET", "EET", "GMT"})
  void rejectsAbbreviations(String id) {
    assertThatThrownBy(() -> Zones.parse(id)).isInstanceOf(InvalidZoneException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"EST5EDT", "PST8PDT", "SystemV/EST5", "Japan", "Zulu", "Universal"})
  void rejectsLegacyIdsThatAreNotRegions(String id) {
    assertThatThrownBy(() -> Zones.parse(id)).isInstanceOf(InvalidZoneException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"America/Springfield", "New York", "Europe/", "/London", "Mars/Olympus"})
  void rejectsUnknownIds(String id) {
    assertThatThrownBy(() -> Zones.parse(id))
        .isInstanceOf(InvalidZoneException.class)
        .hasMessage(
            "Unknown time zone '"
                + id
                + "': use an IANA time zone id like America/New_York or UTC");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  "})
  void rejectsEmptyInput(String id) {
    assertThatThrownBy(() -> Zones.parse(id))
        .isInstanceOf(InvalidZoneException.class)
        .hasMessage("Time zone is empty");
  }
}
