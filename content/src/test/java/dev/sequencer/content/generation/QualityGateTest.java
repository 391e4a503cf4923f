package dev.sequencer.content.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every rule of the gate refuses what it should and lets a good text through. */
class QualityGateTest {

  private static final String LINK = "https://acme.example/case-study";

  private static final QualityRules EMAIL =
      new QualityRules(
          60,
          0,
          Map.of("first_name", "Ada", "company", "Lovelace Labs"),
          Set.of(LINK),
          DeniedPhrases.DEFAULT,
          0.5);

  private static final String GOOD_HOOK =
      "Hi Ada, I noticed Lovelace Labs is hiring analysts. Teams like yours often spend a day a"
          + " week reconciling reports by hand. Would a short call next week be useful?";

  private static List<String> rules(
      GeneratedText text, QualityRules rules, GeneratedText... others) {
    return QualityGate.check(text, rules, List.of(others)).stream().map(Rejection::rule).toList();
  }

  @Test
  void aGoodTextPasses() {
    assertThat(
            QualityGate.check(
                new GeneratedText("hook", "Reports at Lovelace Labs", GOOD_HOOK), EMAIL, List.of()))
        .isEmpty();
    String proof = "Ada, Babbage & Co cut their month-end close from five days to two: " + LINK;
    assertThat(
            QualityGate.check(
                new GeneratedText("proof", null, proof + " Could Lovelace Labs do the same?"),
                EMAIL,
                List.of(new GeneratedText("hook", null, GOOD_HOOK))))
        .isEmpty();
  }

  @Test
  void anEmptyBodyIsRefusedAlone() {
    assertThat(rules(new GeneratedText("hook", "Hi", "  "), EMAIL)).containsExactly("empty");
  }

  @Test
  void aBodyOverTheWordLimitIsTooLong() {
    // 61 words: "Ada Lovelace Labs" (3) and 58 times "word".
    String body = "Ada Lovelace Labs" + " word".repeat(58);
    assertThat(QualityGate.check(new GeneratedText("hook", null, body), EMAIL, List.of()))
        .containsExactly(new Rejection("too_long", "61 words, at most 60"));
  }

  @Test
  void aSubjectOverAHundredAndTwentyCharactersIsTooLong() {
    assertThat(rules(new GeneratedText("hook", "x".repeat(121), GOOD_HOOK), EMAIL))
        .containsExactly("too_long");
    assertThat(rules(new GeneratedText("hook", "x".repeat(120), GOOD_HOOK), EMAIL)).isEmpty();
  }

  @Test
  void anSmsOverItsSegmentsIsRefused() {
    QualityRules sms =
        new QualityRules(200, 1, Map.of("first_name", "Ada"), Set.of(), List.of(), 0.5);
    // GSM-7: 160 characters fit one segment, 161 take two (153 each).
    String fits = "Ada " + "a".repeat(156);
    assertThat(rules(new GeneratedText("hook", null, fits), sms)).isEmpty();
    assertThat(QualityGate.check(new GeneratedText("hook", null, fits + "a"), sms, List.of()))
        .containsExactly(new Rejection("sms_segments", "2 segments, at most 1"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Hi {{first_name}}, a question for Ada at Lovelace Labs|{{first_name}}",
        "Hi {first_name}, a question for Ada at Lovelace Labs|{first_name}",
        "Hi [First Name], a question for Ada at Lovelace Labs|[First Name]",
        "Ada, see [insert link] for Lovelace Labs|[insert link]",
        "Ada, a question for <company> and Lovelace Labs|<company>",
        "Ada, a stray {{ at Lovelace Labs|{{",
        "Ada, a stray }} at Lovelace Labs|}}"
      })
  void anUnrenderedPlaceholderIsRefused(String body, String placeholder) {
    assertThat(QualityGate.check(new GeneratedText("hook", null, body), EMAIL, List.of()))
        .containsExactly(new Rejection("unrendered_placeholder", placeholder));
  }

  @Test
  void aMissingFactIsNamed() {
    assertThat(
            QualityGate.check(
                new GeneratedText("hook", null, "Hi Ada, a quick question about your team."),
                EMAIL,
                List.of()))
        .containsExactly(new Rejection("missing_fact", "company (Lovelace Labs)"));
    // A fact the lead does not have is not required.
    QualityRules noCompany =
        new QualityRules(
            60, 0, Map.of("first_name", "Ada", "company", ""), Set.of(), List.of(), 0.5);
    assertThat(rules(new GeneratedText("hook", null, "Hi Ada, a quick question."), noCompany))
        .isEmpty();
  }

  @Test
  void aLinkTheCampaignDidNotProvideIsRefused() {
    String body = "Ada, Lovelace Labs might like https://evil.example/x and " + LINK;
    assertThat(QualityGate.check(new GeneratedText("proof", null, body), EMAIL, List.of()))
        .containsExactly(new Rejection("foreign_link", "https://evil.example/x"));
  }

  @Test
  void aLinkWithoutItsSchemeIsALinkToo() {
    assertThat(
            QualityGate.check(
                new GeneratedText("proof", null, "Ada, see www.evil.example/x for Lovelace Labs"),
                EMAIL,
                List.of()))
        .containsExactly(new Rejection("foreign_link", "www.evil.example/x"));
  }

  @Test
  void aDeniedPhraseIsRefusedAsAWholeWordWhateverItsCase() {
    assertThat(
            QualityGate.check(
                new GeneratedText(
                    "fomo", null, "Ada, results at Lovelace Labs are GUARANTEED. Act now!"),
                EMAIL,
                List.of()))
        .containsExactly(
            new Rejection("denied_phrase", "guaranteed"),
            new Rejection("denied_phrase", "act now"));
    // "Winners" is not "winner", and "urgently" is not "urgent".
    assertThat(
            rules(
                new GeneratedText(
                    "fomo", null, "Ada, the winners at Lovelace Labs replied urgently."),
                EMAIL))
        .isEmpty();
  }

  @Test
  void aStepThatRepeatsAnotherIsRefused() {
    GeneratedText hook = new GeneratedText("hook", null, GOOD_HOOK);
    GeneratedText copy = new GeneratedText("proof", null, GOOD_HOOK + " Thanks.");
    assertThat(QualityGate.check(copy, EMAIL, List.of(hook)))
        .singleElement()
        .satisfies(r -> assertThat(r.rule()).isEqualTo("repeats_step"))
        .satisfies(r -> assertThat(r.detail()).startsWith("hook (similarity 0.9"));
  }

  @Test
  void similarityIsTheJaccardIndexOfThreeWordShingles() {
    // {a b c, b c d} and {a b c, b c e}: one shared of three.
    assertThat(QualityGate.similarity("a b c d", "A b, c E")).isCloseTo(1.0 / 3, within(1e-9));
    assertThat(QualityGate.similarity("one two three", "one two three")).isEqualTo(1.0);
    assertThat(QualityGate.similarity("one two three", "four five six")).isZero();
    // {w1 w2 w3 … w8 w9 w10}: 8 shingles each; the second shifted by one shares 7 of 9.
    assertThat(
            QualityGate.similarity(
                "w1 w2 w3 w4 w5 w6 w7 w8 w9 w10", "w2 w3 w4 w5 w6 w7 w8 w9 w10 w11"))
        .isCloseTo(7.0 / 9, within(1e-9));
  }
}
