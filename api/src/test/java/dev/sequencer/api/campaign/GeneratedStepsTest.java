package dev.sequencer.api.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignGeneration;
import dev.sequencer.store.campaign.StepGeneration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * A step's {@code generate} and the campaign's {@code generation}: read, checked, filled with
 * defaults, shown, and kept through the request a PATCH is merged into.
 */
class GeneratedStepsTest {

  private static final JsonMapper JSON =
      JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

  private static CampaignValidator.Definition validate(String json) {
    return CampaignValidator.validate(JSON.readValue(json, CampaignRequest.class), false, false);
  }

  private static String campaign(String hookGenerate, String generation) {
    return "{\"name\": \"Gen\", \"channel\": \"email\", \"sender\": {\"email\": \"a@b.example\"},"
        + " \"schedule\": {\"timezone\": \"UTC\"},"
        + " \"steps\": [{\"type\": \"hook\", \"day\": 0, \"subject\": \"Hi {{first_name}}\","
        + " \"body\": \"Hello {{first_name}}\""
        + (hookGenerate == null ? "" : ", \"generate\": " + hookGenerate)
        + "}, {\"type\": \"proof\", \"day\": 3, \"body\": \"Proof for {{company}}\"}]"
        + (generation == null ? "" : ", \"generation\": " + generation)
        + "}";
  }

  @Test
  void aGeneratedStepKeepsItsCopyAsTheFallbackAndGetsDefaults() {
    CampaignValidator.Definition d =
        validate(campaign("{\"instructions\": \" Mention hiring \", \"tone\": \"warm\"}", null));

    assertThat(d.steps().get(0).generate())
        .isEqualTo(new StepGeneration("Mention hiring", "warm", 120));
    assertThat(d.steps().get(0).body()).isEqualTo("Hello {{first_name}}");
    assertThat(d.steps().get(1).generate()).isNull();
    assertThat(d.generatedStepFields()).containsExactly("steps[0].generate");
    assertThat(d.generation()).isEqualTo(CampaignGeneration.defaults());
    assertThat(validate(campaign(null, null)).generatedStepFields()).isEmpty();
  }

  @Test
  void theCampaignsRulesAreRead() {
    CampaignValidator.Definition d =
        validate(
            campaign(
                "{}",
                "{\"review\": true, \"denied_phrases\": [\"free trial\", \"act fast\"],"
                    + " \"max_similarity\": 0.4}"));

    assertThat(d.generation().review()).isTrue();
    assertThat(d.generation().deniedPhraseList()).containsExactly("free trial", "act fast");
    assertThat(d.generation().similarityLimit()).isEqualTo(0.4);
  }

  @Test
  void badSettingsAreRefusedNamingTheField() {
    assertField(campaign("{\"max_words\": 5}", null), "steps[0].generate.max_words");
    assertField(campaign("{\"max_words\": 501}", null), "steps[0].generate.max_words");
    assertField(
        campaign("{\"instructions\": \"" + "x".repeat(2001) + "\"}", null),
        "steps[0].generate.instructions");
    assertField(campaign("{\"tone\": \"a\\nb\"}", null), "steps[0].generate.tone");
    assertField(campaign("{}", "{\"max_similarity\": 1.5}"), "generation.max_similarity");
    assertField(
        campaign("{}", "{\"denied_phrases\": [\"ok\", \"\"]}"), "generation.denied_phrases[1]");
  }

  @Test
  void theResponseShowsItAndAPatchKeepsIt() {
    CampaignValidator.Definition d =
        validate(
            campaign(
                "{\"instructions\": \"Mention hiring\", \"max_words\": 80}", "{\"review\": true}"));
    Campaign stored = CampaignMapper.newCampaign("cmp_gen", "org_1", d, Instant.EPOCH);

    CampaignResponse shown = CampaignMapper.toResponse(stored, Map.of());
    assertThat(shown.steps().get(0).generate())
        .isEqualTo(new CampaignRequest.GenerateBody("Mention hiring", null, 80));
    assertThat(shown.steps().get(1).generate()).isNull();
    assertThat(shown.generation()).isEqualTo(new CampaignRequest.GenerationBody(true, null, 0.5));

    // What a PATCH is merged into validates back to the same definition.
    CampaignRequest asRequest = CampaignMapper.toRequest(stored);
    CampaignValidator.Definition again = CampaignValidator.validate(asRequest, false, false);
    assertThat(again.steps()).isEqualTo(d.steps());
    assertThat(again.generation().review()).isTrue();
    assertThat(again.generation().similarityLimit()).isEqualTo(0.5);
  }

  private static void assertField(String json, String field) {
    assertThatThrownBy(() -> validate(json))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.errors()).extracting(f -> f.field()).contains(field));
  }

  @Test
  void aVariantsOwnGenerationAndTheStoredRulesSurviveAPatchOrAClone() {
    String json =
        campaign(null, "{\"denied_phrases\": [\"free trial\"]}")
            .replace(
                ", \"generation\"",
                ", \"variants\": [{\"name\": \"B\", \"allocation_percentage\": 50,"
                    + " \"steps\": [{\"type\": \"hook\", \"body\": \"Yo {{first_name}}\","
                    + " \"generate\": {\"tone\": \"playful\"}}]}], \"generation\"");
    CampaignValidator.Definition d = validate(json);
    assertThat(
            d.steps().stream()
                .filter(s -> s.variant().equals("B"))
                .findFirst()
                .orElseThrow()
                .generate())
        .isEqualTo(new StepGeneration(null, "playful", 120));
    Campaign stored = CampaignMapper.newCampaign("cmp_var", "org_1", d, Instant.EPOCH);

    CampaignValidator.Definition again =
        CampaignValidator.validate(CampaignMapper.toRequest(stored), false, false);

    assertThat(again.steps()).isEqualTo(d.steps());
    // Stored as given: no default filled in, so a PATCH that changes nothing changes nothing.
    assertThat(again.generation()).isEqualTo(d.generation());
    assertThat(again.generation().maxSimilarity()).isNull();
  }
}
