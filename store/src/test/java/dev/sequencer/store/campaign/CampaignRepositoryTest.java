package dev.sequencer.store.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequencer.store.testing.CampaignBuilder;
import dev.sequencer.storetest.StoreIntegrationTest;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.dao.OptimisticLockingFailureException;

class CampaignRepositoryTest extends StoreIntegrationTest {

  private static final Instant CREATED = Instant.parse("2027-01-04T10:15:30.123456Z");

  private Campaign abCampaign(String organizationId) {
    return CampaignBuilder.email(organizationId)
        .name("Q1 founders outreach")
        .status(CampaignStatus.DRAFT)
        .sender(new Sender("ada@acme.test", "Ada Lovelace", null, "replies@acme.test"))
        .holdoutPercentage(10)
        .schedule(
            Schedule.of(
                "America/New_York",
                LocalTime.of(9, 0),
                LocalTime.of(17, 30),
                EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY),
                "US",
                Set.of(LocalDate.parse("2027-12-24"), LocalDate.parse("2027-12-31")),
                "0 9 * * MON"))
        .limits(new Limits(125, 60, 7))
        .autoWinner(new AutoWinner(true, "positive_reply_rate", 0.99, 250))
        .step("A", StepType.HOOK, 0, "Quick idea for {{company}}", "Hi {{first_name}}, A hook")
        .step("A", StepType.PROOF, 3, "Proof", "A proof")
        .step("A", StepType.FOMO, 7, "Last call", "A fomo")
        .step("B", StepType.HOOK, 0, "B subject for {{company}}", "B hook")
        .step("B", StepType.FOMO, 7, "B last call", "B fomo")
        .variant("B", 30)
        .createdAt(CREATED)
        .build();
  }

  @Test
  void savesAndLoadsTheWholeAggregate() {
    String org = fixtures().organization();
    Campaign campaign = abCampaign(org);

    Campaign saved = campaigns.save(campaign);
    Campaign loaded = campaigns.findById(campaign.id()).orElseThrow();

    assertThat(saved.version()).isZero();
    assertThat(loaded).isEqualTo(saved);
    assertThat(loaded.name()).isEqualTo("Q1 founders outreach");
    assertThat(loaded.channel()).isEqualTo(Channel.EMAIL);
    assertThat(loaded.status()).isEqualTo(CampaignStatus.DRAFT);
    assertThat(loaded.sender())
        .isEqualTo(new Sender("ada@acme.test", "Ada Lovelace", null, "replies@acme.test"));
    assertThat(loaded.holdoutPercentage()).isEqualTo(10);
    assertThat(loaded.schedule().timezone()).isEqualTo("America/New_York");
    assertThat(loaded.schedule().windowStart()).isEqualTo(LocalTime.of(9, 0));
    assertThat(loaded.schedule().windowEnd()).isEqualTo(LocalTime.of(17, 30));
    assertThat(loaded.schedule().businessDaySet())
        .containsExactly(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY);
    assertThat(loaded.schedule().holidayCalendar()).isEqualTo("US");
    assertThat(loaded.schedule().blackoutDateSet())
        .containsExactly(LocalDate.parse("2027-12-24"), LocalDate.parse("2027-12-31"));
    assertThat(loaded.schedule().recurrence()).isEqualTo("0 9 * * MON");
    assertThat(loaded.limits()).isEqualTo(new Limits(125, 60, 7));
    assertThat(loaded.autoWinner())
        .isEqualTo(new AutoWinner(true, "positive_reply_rate", 0.99, 250));
    assertThat(loaded.createdAt()).isEqualTo(CREATED);
    assertThat(loaded.steps()).containsExactlyElementsOf(campaign.steps());
    assertThat(loaded.variants()).containsExactly(new CampaignVariant("B", 30));
    assertThat(loaded.baseSteps())
        .extracting(CampaignStep::type)
        .containsExactly(StepType.HOOK, StepType.PROOF, StepType.FOMO);

    // The embedded values and the owned rows are plain columns and rows.
    assertThat(
            jdbc.sql(
                    "select sender_email || '|' || sender_name || '|' || sender_reply_to || '|'"
                        + " || daily_limit || '|' || auto_winner_enabled || '|'"
                        + " || auto_winner_min_sample || '|' || business_days"
                        + " from campaigns where id = ?")
                .param(campaign.id())
                .query(String.class)
                .single())
        .isEqualTo("ada@acme.test|Ada Lovelace|replies@acme.test|125|true|250|MON,WED,FRI");
    assertThat(
            jdbc.sql(
                    "select variant || ':' || type || ':' || day from campaign_steps"
                        + " where campaign_id = ? order by position")
                .param(campaign.id())
                .query(String.class)
                .list())
        .containsExactly("A:HOOK:0", "A:PROOF:3", "A:FOMO:7", "B:HOOK:0", "B:FOMO:7");
  }

  @Test
  void emptyLimitsAndSenderFieldsComeBackAsNulls() {
    String org = fixtures().organization();
    Campaign campaign = CampaignBuilder.sms(org).build();

    campaigns.save(campaign);
    Campaign loaded = campaigns.findById(campaign.id()).orElseThrow();

    assertThat(loaded.sender()).isEqualTo(new Sender(null, null, "+15005550006", null));
    assertThat(loaded.limits().dailyLimit()).isNull();
    assertThat(loaded.limits().perMinute()).isNull();
    assertThat(loaded.schedule().windowStart()).isNull();
    assertThat(loaded.schedule().holidayCalendar()).isNull();
    assertThat(loaded.schedule().businessDaySet()).hasSize(7);
    assertThat(loaded.variants()).isEmpty();
  }

  @Test
  void findsACampaignOnlyInItsOwnOrganization() {
    String org = fixtures().organization();
    String other = fixtures().organization();
    Campaign campaign = campaigns.save(abCampaign(org));

    assertThat(campaigns.findByIdAndOrganizationId(campaign.id(), org)).isPresent();
    assertThat(campaigns.findByIdAndOrganizationId(campaign.id(), other)).isEmpty();
    assertThat(campaigns.findById("cmp_missing")).isEmpty();
  }

  @Test
  void updatesBumpTheVersionAndReplaceOwnedRows() {
    Campaign saved = campaigns.save(abCampaign(fixtures().organization()));
    Instant later = CREATED.plusSeconds(60);

    Campaign running = campaigns.save(saved.withStatus(CampaignStatus.RUNNING, later));
    Campaign loaded = campaigns.findById(saved.id()).orElseThrow();

    assertThat(running.version()).isEqualTo(1);
    assertThat(loaded.version()).isEqualTo(1);
    assertThat(loaded.status()).isEqualTo(CampaignStatus.RUNNING);
    assertThat(loaded.updatedAt()).isEqualTo(later);
    assertThat(loaded.steps()).hasSize(5);
    assertThat(
            jdbc.sql("select count(*) from campaign_steps where campaign_id = ?")
                .param(saved.id())
                .query(Long.class)
                .single())
        .isEqualTo(5);
  }

  @Test
  void aStaleCopyIsRefused() {
    Campaign saved = campaigns.save(abCampaign(fixtures().organization()));
    campaigns.save(saved.withStatus(CampaignStatus.SCHEDULED, CREATED.plusSeconds(1)));

    assertThatThrownBy(
            () ->
                campaigns.save(saved.withStatus(CampaignStatus.CANCELLED, CREATED.plusSeconds(2))))
        .isInstanceOf(OptimisticLockingFailureException.class);
    Campaign loaded = campaigns.findById(saved.id()).orElseThrow();
    assertThat(loaded.status()).isEqualTo(CampaignStatus.SCHEDULED);
    assertThat(loaded.version()).isEqualTo(1);
  }

  @Test
  void variantStepsOverrideTheBaseStepsByType() {
    Campaign loaded =
        campaigns
            .findById(campaigns.save(abCampaign(fixtures().organization())).id())
            .orElseThrow();

    List<CampaignStep> b = loaded.stepsOf("B");
    List<CampaignStep> a = loaded.stepsOf("A");
    List<CampaignStep> unknown = loaded.stepsOf("C");

    assertThat(b)
        .extracting(CampaignStep::variant, CampaignStep::type, CampaignStep::body)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("B", StepType.HOOK, "B hook"),
            org.assertj.core.groups.Tuple.tuple("A", StepType.PROOF, "A proof"),
            org.assertj.core.groups.Tuple.tuple("B", StepType.FOMO, "B fomo"));
    assertThat(b).extracting(CampaignStep::day).containsExactly(0, 3, 7);
    assertThat(a)
        .extracting(CampaignStep::body)
        .containsExactly("Hi {{first_name}}, A hook", "A proof", "A fomo");
    assertThat(unknown).isEqualTo(a);
  }

  @Test
  void aCampaignHasStartedUnlessItIsADraftAndEndsWhenCompletedOrCancelled() {
    Campaign campaign = abCampaign("org_x");

    assertThat(campaign.withStatus(CampaignStatus.DRAFT, CREATED).hasStarted()).isFalse();
    assertThat(campaign.withStatus(CampaignStatus.SCHEDULED, CREATED).hasStarted()).isTrue();
    assertThat(campaign.withStatus(CampaignStatus.PAUSED, CREATED).hasStarted()).isTrue();
    assertThat(campaign.withStatus(CampaignStatus.RUNNING, CREATED).hasEnded()).isFalse();
    assertThat(campaign.withStatus(CampaignStatus.COMPLETED, CREATED).hasEnded()).isTrue();
    assertThat(campaign.withStatus(CampaignStatus.CANCELLED, CREATED).hasEnded()).isTrue();
  }

  @Test
  void theRevisionStartsAtOneAndIsKeptApartFromTheVersion() {
    Campaign saved = campaigns.save(abCampaign(fixtures().organization()));
    assertThat(campaigns.findById(saved.id()).orElseThrow().revision()).isEqualTo(1);

    campaigns.save(saved.nextRevision());
    Campaign loaded = campaigns.findById(saved.id()).orElseThrow();
    assertThat(loaded.revision()).isEqualTo(2);
    assertThat(loaded.version()).isEqualTo(1);

    // A status change is no new revision.
    campaigns.updateStatus(saved.id(), CampaignStatus.PAUSED.name(), null);
    assertThat(campaigns.findById(saved.id()).orElseThrow().revision()).isEqualTo(2);
  }

  @Test
  void generatedStepsAndTheCampaignsGenerationRulesAreStoredAndReadBack() {
    Campaign generated =
        CampaignBuilder.email(fixtures().organization())
            .status(CampaignStatus.DRAFT)
            .generatedStep(
                "A",
                StepType.HOOK,
                0,
                "Quick idea",
                "Hi {{first_name}}",
                new StepGeneration("Mention their hiring", "warm", 90))
            .step("A", StepType.PROOF, 3, "Proof", "A proof")
            .generation(new CampaignGeneration(true, "free trial\nact fast", 0.4))
            .build();

    Campaign saved = campaigns.save(generated);
    Campaign read = campaigns.findById(saved.id()).orElseThrow();

    assertThat(read.steps().get(0).generate())
        .isEqualTo(new StepGeneration("Mention their hiring", "warm", 90));
    assertThat(read.steps().get(1).generate()).isNull();
    assertThat(read.steps().get(1).generated()).isFalse();
    assertThat(read.generation().review()).isTrue();
    assertThat(read.generation().deniedPhraseList()).containsExactly("free trial", "act fast");
    assertThat(read.generation().similarityLimit()).isEqualTo(0.4);
  }
}
