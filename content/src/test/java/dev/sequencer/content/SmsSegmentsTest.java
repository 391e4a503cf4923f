package dev.sequencer.content;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SmsSegmentsTest {

  private static String repeat(String s, int times) {
    return s.repeat(times);
  }

  @Test
  void emptyBodyHasNoSegments() {
    assertThat(SmsSegments.of("")).isEqualTo(new SmsSegments(SmsEncoding.GSM7, 0, 0));
  }

  @Test
  void plainAsciiIsGsm7() {
    assertThat(SmsSegments.of("Hi Grace, quick idea for Navy. Reply STOP to opt out."))
        .isEqualTo(new SmsSegments(SmsEncoding.GSM7, 53, 1));
  }

  @Test
  void basicTableIsTheFull127CharacterGsmAlphabet() {
    assertThat(Gsm7Alphabet.BASIC).hasSize(127);
    assertThat(Gsm7Alphabet.BASIC.chars().distinct().count()).isEqualTo(127);
    assertThat(Gsm7Alphabet.BASIC + Gsm7Alphabet.EXTENSION).doesNotContain("\u001b");
    SmsSegments all = SmsSegments.of(Gsm7Alphabet.BASIC);
    assertThat(all.encoding()).isEqualTo(SmsEncoding.GSM7);
    assertThat(all.characters()).isEqualTo(127);
    assertThat(all.segments()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "@", "£", "$", "¥", "è", "é", "ù", "ì", "ò", "Ç", "Ø", "ø", "Å", "å", "Δ", "_", "Φ", "Γ",
        "Λ", "Ω", "Π", "Ψ", "Σ", "Θ", "Ξ", "Æ", "æ", "ß", "É", "¤", "¡", "Ä", "Ö", "Ñ", "Ü", "§",
        "¿", "ä", "ö", "ñ", "ü", "à", "\n", "\r"
      })
  void nonAsciiBasicCharactersCountOne(String c) {
    assertThat(SmsSegments.of(c)).isEqualTo(new SmsSegments(SmsEncoding.GSM7, 1, 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"^", "{", "}", "\\", "[", "~", "]", "|", "€", "\f"})
  void extensionCharactersCountTwo(String c) {
    assertThat(SmsSegments.of(c)).isEqualTo(new SmsSegments(SmsEncoding.GSM7, 2, 1));
  }

  @Test
  void euroSignCountsTwo() {
    assertThat(SmsSegments.of("Only 5€ today")).isEqualTo(new SmsSegments(SmsEncoding.GSM7, 14, 1));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        // é is in the GSM alphabet, ç (lower case) is not: only Ç is.
        "Café;GSM7;4",
        "Ça va;GSM7;5",
        "Garçon;UCS2;6",
        "Grüße;GSM7;5",
        "Łódź;UCS2;4",
        "`backtick`;UCS2;10",
        "“smart quotes”;UCS2;14",
        "naïve;UCS2;5",
        "Привет;UCS2;6",
        "こんにちは;UCS2;5"
      })
  void encodingDependsOnEveryCharacter(String body, SmsEncoding encoding, int characters) {
    SmsSegments segments = SmsSegments.of(body);
    assertThat(segments.encoding()).isEqualTo(encoding);
    assertThat(segments.characters()).isEqualTo(characters);
    assertThat(segments.segments()).isEqualTo(1);
  }

  @Test
  void emojiForcesUcs2AndCountsTwoCodeUnits() {
    assertThat(SmsSegments.of("Hi Grace 👋")).isEqualTo(new SmsSegments(SmsEncoding.UCS2, 11, 1));
  }

  @Test
  void gsm7SingleSegmentHoldsExactly160() {
    assertThat(SmsSegments.of(repeat("a", 160)))
        .isEqualTo(new SmsSegments(SmsEncoding.GSM7, 160, 1));
    assertThat(SmsSegments.of(repeat("a", 161)))
        .isEqualTo(new SmsSegments(SmsEncoding.GSM7, 161, 2));
  }

  @Test
  void gsm7ExtensionCharactersCountTowardsTheSingleSegmentLimit() {
    assertThat(SmsSegments.of(repeat("a", 158) + "€"))
        .isEqualTo(new SmsSegments(SmsEncoding.GSM7, 160, 1));
    assertThat(SmsSegments.of(repeat("a", 159) + "€"))
        .isEqualTo(new SmsSegments(SmsEncoding.GSM7, 161, 2));
  }

  @Test
  void gsm7ConcatenatedSegmentsHold153() {
    assertThat(SmsSegments.of(repeat("a", 306)))
        .isEqualTo(new SmsSegments(SmsEncoding.GSM7, 306, 2));
    assertThat(SmsSegments.of(repeat("a", 307)))
        .isEqualTo(new SmsSegments(SmsEncoding.GSM7, 307, 3));
    assertThat(SmsSegments.of(repeat("a", 459)).segments()).isEqualTo(3);
    assertThat(SmsSegments.of(repeat("a", 460)).segments()).isEqualTo(4);
  }

  @Test
  void extensionCharacterIsNotSplitAcrossSegments() {
    // 152 + 2 + 152 = 306 septets, which would fit two parts of 153 if the € could be split;
    // it cannot, so it opens the second part and the last "a" spills into a third.
    SmsSegments segments = SmsSegments.of(repeat("a", 152) + "€" + repeat("a", 152));
    assertThat(segments).isEqualTo(new SmsSegments(SmsEncoding.GSM7, 306, 3));
  }

  @Test
  void extensionCharacterEndingExactlyAtTheBoundaryFits() {
    SmsSegments segments = SmsSegments.of(repeat("a", 151) + "€" + repeat("a", 153));
    assertThat(segments).isEqualTo(new SmsSegments(SmsEncoding.GSM7, 306, 2));
  }

  @Test
  void ucs2SingleSegmentHoldsExactly70() {
    assertThat(SmsSegments.of(repeat("ç", 70))).isEqualTo(new SmsSegments(SmsEncoding.UCS2, 70, 1));
    assertThat(SmsSegments.of(repeat("ç", 71))).isEqualTo(new SmsSegments(SmsEncoding.UCS2, 71, 2));
  }

  @Test
  void ucs2ConcatenatedSegmentsHold67() {
    assertThat(SmsSegments.of(repeat("ç", 134)))
        .isEqualTo(new SmsSegments(SmsEncoding.UCS2, 134, 2));
    assertThat(SmsSegments.of(repeat("ç", 135)))
        .isEqualTo(new SmsSegments(SmsEncoding.UCS2, 135, 3));
  }

  @Test
  void oneUcs2CharacterTurnsALongGsmMessageIntoMoreSegments() {
    String body = repeat("a", 100);
    assertThat(SmsSegments.of(body).segments()).isEqualTo(1);
    assertThat(SmsSegments.of(body + "ç")).isEqualTo(new SmsSegments(SmsEncoding.UCS2, 101, 2));
  }

  @Test
  void emojiAtTheSingleSegmentLimit() {
    assertThat(SmsSegments.of(repeat("a", 68) + "😀"))
        .isEqualTo(new SmsSegments(SmsEncoding.UCS2, 70, 1));
    assertThat(SmsSegments.of(repeat("a", 69) + "😀"))
        .isEqualTo(new SmsSegments(SmsEncoding.UCS2, 71, 2));
  }

  @Test
  void surrogatePairIsNotSplitAcrossSegments() {
    // 66 + 2 + 66 = 134 units, which would fit two parts of 67 if the emoji could be split.
    SmsSegments segments = SmsSegments.of(repeat("a", 66) + "😀" + repeat("a", 66));
    assertThat(segments).isEqualTo(new SmsSegments(SmsEncoding.UCS2, 134, 3));
  }

  @Test
  void surrogatePairEndingExactlyAtTheBoundaryFits() {
    SmsSegments segments = SmsSegments.of(repeat("a", 65) + "😀" + repeat("a", 67));
    assertThat(segments).isEqualTo(new SmsSegments(SmsEncoding.UCS2, 134, 2));
  }
}
