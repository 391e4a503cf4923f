package dev.sequencer.content.reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplyClassTest {

  @ParameterizedTest
  @CsvSource({
    "INTERESTED, interested, true",
    "NOT_INTERESTED, not_interested, true",
    "NEUTRAL, neutral, true",
    "OUT_OF_OFFICE, out_of_office, false",
    "AUTO_REPLY, auto_reply, false",
    "UNSUBSCRIBE, unsubscribe, true"
  })
  void wireNameAndHumanity(ReplyClass replyClass, String wireName, boolean human) {
    assertThat(replyClass.wireName()).isEqualTo(wireName);
    assertThat(replyClass.isHuman()).isEqualTo(human);
  }

  @Test
  void wireNamesAreTheApiClassifications() {
    assertThat(List.of(ReplyClass.values()))
        .extracting(ReplyClass::wireName)
        .containsExactly(
            "interested",
            "not_interested",
            "neutral",
            "out_of_office",
            "auto_reply",
            "unsubscribe");
  }

  @Test
  void inboundReplyHeadersAreCaseInsensitiveAndMerged() {
    InboundReply reply =
        new InboundReply(
            "Re: hi",
            "body",
            Map.of("AUTO-SUBMITTED", List.of("auto-replied"), "x-autoreply", List.of("yes")),
            LocalDate.of(2027, 1, 7));
    assertThat(reply.headers().get("auto-submitted")).containsExactly("auto-replied");
    assertThat(reply.header("X-Autoreply")).isEqualTo("yes");
    assertThat(reply.header("Precedence")).isNull();
  }

  @Test
  void inboundReplyNullPartsBecomeEmpty() {
    InboundReply reply = new InboundReply(null, null, null, LocalDate.of(2027, 1, 7));
    assertThat(reply.subject()).isEmpty();
    assertThat(reply.body()).isEmpty();
    assertThat(reply.headers()).isEmpty();
  }

  @Test
  void inboundReplyNeedsTheDateItWasReceived() {
    assertThatNullPointerException()
        .isThrownBy(() -> new InboundReply("s", "b", Map.of(), null))
        .withMessage("receivedOn");
  }

  @Test
  void onlyOutOfOfficeCarriesAReturnDate() {
    LocalDate date = LocalDate.of(2027, 3, 3);
    assertThat(new Classification(ReplyClass.OUT_OF_OFFICE, date, "", "x").returnDate())
        .isEqualTo(date);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Classification(ReplyClass.AUTO_REPLY, date, "", "x"));
  }
}
