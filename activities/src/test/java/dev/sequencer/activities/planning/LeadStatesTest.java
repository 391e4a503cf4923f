package dev.sequencer.activities.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.testing.CampaignBuilder;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeadStatesTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static Lead lead(String phone, String attributes) {
    return new Lead(
        1L,
        "org",
        "cmp",
        "l-1",
        null,
        phone,
        null,
        null,
        null,
        null,
        "America/New_York",
        attributes,
        LeadStatus.ACTIVE,
        "A",
        null,
        Instant.EPOCH,
        Instant.EPOCH,
        null);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      nullValues = "null",
      delimiter = ';',
      value = {
        // The area code, when there is no attribute: Miami, Seattle, Austin, Manhattan.
        "+13055550123; {}; FL",
        "+12065550123; null; WA",
        "+15125550123; {\"city\": \"Austin\"}; TX",
        "+12125550123; {}; NY",
        // The attribute wins over the area code, in any case.
        "+13055550123; {\"state\": \"TX\"}; TX",
        "+12125550123; {\"state\": \"fl\"}; FL",
        "null; {\"state\": \"ct\"}; CT",
        // Something that is not a state code, stored before the check existed, is passed over.
        "+13055550123; {\"state\": \"Florida\"}; FL",
        "+13055550123; {\"state\": 12}; FL",
        // Neither: no state, so the federal hours alone.
        "+442079460958; {}; null",
        "+18005550123; {}; null",
        "null; {}; null",
      })
  void stateOfTheLead(String phone, String attributes, String state) {
    assertThat(LeadStates.of(lead(phone, attributes)).orElse(null)).isEqualTo(state);
  }

  @Test
  void onlySmsKeepsTheStatesHours() {
    Lead miami = lead("+13055550123", "{}");
    Campaign sms = CampaignBuilder.sms("org").build();
    Campaign email = CampaignBuilder.email("org").build();
    // Wednesday 2027-03-03 20:30 EST: inside the federal SMS hours, outside Florida's.
    Instant halfPastEight = Instant.parse("2027-03-04T01:30:00Z");
    assertThat(halfPastEight.atZone(NEW_YORK).getDayOfWeek()).isEqualTo(DayOfWeek.WEDNESDAY);

    assertThat(CampaignSchedules.stateOf(sms, miami)).isEqualTo("FL");
    assertThat(CampaignSchedules.plannerFor(sms, miami).reasonNotAllowed(halfPastEight, NEW_YORK))
        .isEqualTo("quiet_hours");
    assertThat(CampaignSchedules.stateOf(email, miami)).isNull();
    assertThat(CampaignSchedules.plannerFor(email, miami).isAllowed(halfPastEight, NEW_YORK))
        .isTrue();
  }
}
