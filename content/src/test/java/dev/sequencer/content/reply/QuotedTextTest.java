package dev.sequencer.content.reply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QuotedTextTest {

  @Nested
  class Gmail {

    @Test
    void dropsAttributionAndQuotedLines() {
      assertThat(QuotedText.strip(Eml.load("gmail-interested.eml").body()))
          .isEqualTo(
              """
              Hi Ada,

              This sounds interesting. We've been struggling with exactly this. What's your
              availability on Thursday afternoon?

              Grace""");
    }

    @Test
    void dropsAttributionWrappedOverTwoLines() {
      assertThat(QuotedText.strip(Eml.load("gmail-wrapped-attribution.eml").body()))
          .isEqualTo("Thanks, but we already use Calendly across the team and it works fine.");
    }

    @Test
    void dropsAttributionWrappedAfterTheName() {
      String body =
          """
          Tuesday works.

          On Mon, Jan 4, 2027 at 9:00 AM Ada <ada@acme.test>
          wrote:
          > Want a walkthrough?
          """;
      assertThat(QuotedText.strip(body)).isEqualTo("Tuesday works.");
    }

    @Test
    void dropsEverythingAfterAnAttributionWithoutQuoteMarks() {
      String body =
          """
          Sounds good.

          On Mon, Jan 4, 2027 at 9:00 AM Ada <ada@acme.test> wrote:

          Hi Grace, want a walkthrough? Reply "remove me" to stop hearing from me.
          """;
      assertThat(QuotedText.strip(body)).isEqualTo("Sounds good.");
    }

    @Test
    void keepsABottomPostedReply() {
      String body =
          """
          On Mon, Jan 4, 2027 at 9:00 AM Ada <ada@acme.test> wrote:
          > Want a 15-minute walkthrough?

          Yes please, Thursday at 2pm works.
          """;
      assertThat(QuotedText.strip(body)).isEqualTo("Yes please, Thursday at 2pm works.");
    }

    @Test
    void keepsInterleavedAnswers() {
      String body =
          """
          > Do you schedule shifts by hand?
          Yes, every Friday.
          > Would a walkthrough help?
          Maybe next month.
          """;
      assertThat(QuotedText.strip(body)).isEqualTo("Yes, every Friday.\nMaybe next month.");
    }

    @Test
    void dropsAForwardedMessage() {
      String body =
          """
          Looping in Frances who owns this.

          ---------- Forwarded message ---------
          From: Ada <ada@acme.test>
          Date: Mon, Jan 4, 2027 at 9:00 AM
          Subject: Quick idea for Navy
          """;
      assertThat(QuotedText.strip(body)).isEqualTo("Looping in Frances who owns this.");
    }
  }

  @Nested
  class Outlook {

    @Test
    void dropsSeparatorAndHeaderBlockAndMobileFooter() {
      assertThat(QuotedText.strip(Eml.load("outlook-not-interested.eml").body()))
          .isEqualTo(
              """
              Hi Ada,

              Not a fit for us at the moment - we're a team of four. Please don't follow up on this.

              Kind regards,
              Alan""");
    }

    @Test
    void dropsOriginalMessage() {
      assertThat(QuotedText.strip(Eml.load("outlook-original-message-unsubscribe.eml").body()))
          .isEqualTo(
              """
              This is the third one this week. Take me off your list.

              Byron Lovelace | Director of Operations
              Example Org | 555-0100""");
    }

    @Test
    void dropsHeaderBlockWithoutSeparatorAndWithBoldNames() {
      String body =
          """
          Let's talk next week.

          *From:* Ada <ada@acme.test>
          *Sent:* Monday, January 4, 2027 9:00 AM
          *To:* Alan Turing <alan@bletchley.example>
          *Subject:* Quick idea for Bletchley
          """;
      assertThat(QuotedText.strip(body)).isEqualTo("Let's talk next week.");
    }

    @Test
    void dropsOutlookForMacHeaderBlockWithDate() {
      String body =
          """
          Not right now, thanks.

          From: Ada <ada@acme.test>
          Date: Monday, 4 January 2027 at 09:00
          To: Alan Turing <alan@bletchley.example>
          Subject: Quick idea for Bletchley
          """;
      assertThat(QuotedText.strip(body)).isEqualTo("Not right now, thanks.");
    }

    @Test
    void keepsAFromLineThatStartsNoHeaderBlock() {
      String body =
          """
          From: our side this could work.
          Send me more info.
          """;
      assertThat(QuotedText.strip(body))
          .isEqualTo("From: our side this could work.\nSend me more info.");
    }

    @Test
    void keepsAnUnderscoreLineNotFollowedByHeaders() {
      String body = "Name: ____________ (fill in)\n__________\nThanks";
      assertThat(QuotedText.strip(body)).isEqualTo(body);
    }
  }

  @Nested
  class AppleMail {

    @Test
    void dropsIphoneFooterAndQuotedAttribution() {
      assertThat(QuotedText.strip(Eml.load("apple-mail-interested.eml").body()))
          .isEqualTo("Yes, interested. Can you do Tuesday at 10?");
    }

    @Test
    void dropsUnquotedAppleAttribution() {
      String body =
          """
          Happy to chat on Friday.

          On 4 Jan 2027, at 09:00, Ada <ada@acme.test> wrote:

          > Hi Katherine,
          > Want a walkthrough?
          """;
      assertThat(QuotedText.strip(body)).isEqualTo("Happy to chat on Friday.");
    }
  }

  @Nested
  class Signatures {

    @Test
    void dropsEverythingAfterTheDashDashSpaceDelimiter() {
      assertThat(QuotedText.strip(Eml.load("signature-neutral.eml").body()))
          .isEqualTo("I'm not the right person for this, try our ops lead Frances.");
    }

    @Test
    void acceptsADelimiterWhoseTrailingSpaceWasTrimmed() {
      assertThat(QuotedText.strip("Call me.\n--\nGrace\n555-0100")).isEqualTo("Call me.");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "Sent from my iPhone",
          "Sent from my iPad",
          "Sent from my Galaxy",
          "Get Outlook for iOS",
          "Get Outlook for Android<https://aka.ms/AAb9ysg>",
          "Sent from Mail for Windows",
          "Sent from Mail for Windows 10",
          "Sent from Yahoo Mail for iPhone"
        })
    void dropsMobileFooters(String footer) {
      assertThat(QuotedText.strip("Sounds good.\n\n" + footer + "\n")).isEqualTo("Sounds good.");
    }

    @Test
    void keepsASentenceThatMerelyMentionsSending() {
      String body = "I sent from my iPhone yesterday but it bounced.";
      assertThat(QuotedText.strip(body)).isEqualTo(body);
    }
  }

  @Test
  void normalisesWindowsLineEndings() {
    assertThat(QuotedText.strip("Sounds good.\r\n\r\n> old\r\n")).isEqualTo("Sounds good.");
  }

  @Test
  void quoteOnlyBodyLeavesNothing() {
    assertThat(QuotedText.strip("> Hi Grace,\n> want a walkthrough?\n")).isEmpty();
  }

  @Test
  void nullAndEmptyGiveEmpty() {
    assertThat(QuotedText.strip(null)).isEmpty();
    assertThat(QuotedText.strip("")).isEmpty();
  }

  @Test
  void plainTextIsOnlyTrimmed() {
    assertThat(QuotedText.strip("\n\n  Who gave you my address?  \n"))
        .isEqualTo("Who gave you my address?");
  }
}
