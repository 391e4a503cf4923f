package dev.sequencer.content.reply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmsKeywordsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
  void everyOptOutKeywordIsStop(String keyword) {
    assertThat(SmsKeywords.of(keyword)).isEqualTo(SmsKeyword.STOP);
    assertThat(SmsKeywords.of(keyword.toLowerCase())).isEqualTo(SmsKeyword.STOP);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Stop.",
        " STOP ",
        "STOP!!!",
        "stop\n",
        "\"Stop\"",
        "Stop all",
        "Opt out",
        "opt-out",
        "Unsubscribe 🙏",
        "QUIT."
      })
  void keywordWithSurroundingWhitespaceOrPunctuationIsStop(String body) {
    assertThat(SmsKeywords.of(body)).isEqualTo(SmsKeyword.STOP);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "please stop texting me",
        "stop messaging me",
        "unsubscribe me please",
        "Stop texting this number!",
        "Please cancel my subscription",
        "Opt me out",
        "opt out please",
        "STOP sending me messages",
        "end these texts now"
      })
  void shortOptOutSentenceIsStop(String body) {
    assertThat(SmsKeywords.of(body)).isEqualTo(SmsKeyword.STOP);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "I can't stop thinking about your offer, let's talk",
        "end of the month works for me",
        "cancel my Friday meeting and call me",
        "Don't stop",
        "Let's end the week with a call",
        "Quit my job last month, not the right person anymore",
        "Can you stop by the office on Tuesday?",
        "Stop, Tuesday at 3 works better for me actually"
      })
  void keywordInOrdinaryConversationIsNone(String body) {
    assertThat(SmsKeywords.of(body)).isEqualTo(SmsKeyword.NONE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"START", "start", " Start. ", "UNSTOP", "unstop!"})
  void startAndUnstopAreStart(String body) {
    assertThat(SmsKeywords.of(body)).isEqualTo(SmsKeyword.START);
  }

  @ParameterizedTest
  @ValueSource(strings = {"YES", "yes", "Y", "start texting me again please", "please start"})
  void yesAndSentencesAreNotStart(String body) {
    assertThat(SmsKeywords.of(body)).isEqualTo(SmsKeyword.NONE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"HELP", "help", "Help?", "INFO", "info.", " Info "})
  void helpAndInfoAreHelp(String body) {
    assertThat(SmsKeywords.of(body)).isEqualTo(SmsKeyword.HELP);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"help me choose a plan", "Can you send more info?", "I need help with billing"})
  void helpOnlyCountsAsTheWholeMessage(String body) {
    assertThat(SmsKeywords.of(body)).isEqualTo(SmsKeyword.NONE);
  }

  @Test
  void shortSentenceMeansAtMostSixWords() {
    assertThat(SmsKeywords.of("please stop texting me right now")).isEqualTo(SmsKeyword.NONE);
    assertThat(SmsKeywords.of("please just stop texting me now")).isEqualTo(SmsKeyword.STOP);
    assertThat(SmsKeywords.of("please please just stop texting me now")).isEqualTo(SmsKeyword.NONE);
  }

  @Test
  void blankAndNullAreNone() {
    assertThat(SmsKeywords.of(null)).isEqualTo(SmsKeyword.NONE);
    assertThat(SmsKeywords.of("   ")).isEqualTo(SmsKeyword.NONE);
    assertThat(SmsKeywords.of("!!!")).isEqualTo(SmsKeyword.NONE);
  }
}
