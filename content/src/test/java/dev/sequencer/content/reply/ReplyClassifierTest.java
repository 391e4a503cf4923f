package dev.sequencer.content.reply;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReplyClassifierTest {

  /** A Thursday. */
  private static final LocalDate RECEIVED = LocalDate.of(2027, 1, 7);

  private final ReplyClassifier classifier = new ReplyClassifier();

  private Classification classify(String body) {
    return classifier.classify(
        new InboundReply("Re: Quick idea for Navy", body, Map.of(), RECEIVED));
  }

  private Classification classify(String subject, String body, Map<String, List<String>> headers) {
    return classifier.classify(new InboundReply(subject, body, headers, RECEIVED));
  }

  private ReplyClass classOf(String body) {
    return classify(body).replyClass();
  }

  @Nested
  class StoredMessages {

    @Test
    void gmailReplyAskingForAvailabilityIsInterested() {
      Classification c = classifier.classify(Eml.load("gmail-interested.eml"));
      assertThat(c.replyClass()).isEqualTo(ReplyClass.INTERESTED);
      assertThat(c.reason()).isEqualTo("phrase 'sounds interesting'");
      assertThat(c.text()).startsWith("Hi Ada,").endsWith("Grace").doesNotContain("walkthrough");
      assertThat(c.returnDate()).isNull();
    }

    @Test
    void gmailReplyThatAlreadyUsesAToolIsNotInterested() {
      Classification c = classifier.classify(Eml.load("gmail-wrapped-attribution.eml"));
      assertThat(c.replyClass()).isEqualTo(ReplyClass.NOT_INTERESTED);
      assertThat(c.reason()).isEqualTo("phrase 'we already use'");
    }

    @Test
    void outlookDeclineIsNotInterestedDespiteHappyToChatInTheQuote() {
      Classification c = classifier.classify(Eml.load("outlook-not-interested.eml"));
      assertThat(c.replyClass()).isEqualTo(ReplyClass.NOT_INTERESTED);
      assertThat(c.reason()).isEqualTo("phrase 'not a fit'");
      assertThat(c.text()).doesNotContain("Happy to chat").doesNotContain("Get Outlook");
    }

    @Test
    void outlookTakeMeOffYourListIsUnsubscribe() {
      Classification c = classifier.classify(Eml.load("outlook-original-message-unsubscribe.eml"));
      assertThat(c.replyClass()).isEqualTo(ReplyClass.UNSUBSCRIBE);
      assertThat(c.reason()).isEqualTo("phrase 'take me off'");
    }

    @Test
    void appleMailYesInterestedIsInterested() {
      Classification c = classifier.classify(Eml.load("apple-mail-interested.eml"));
      assertThat(c.replyClass()).isEqualTo(ReplyClass.INTERESTED);
      assertThat(c.reason()).isEqualTo("phrase 'yes, interested'");
      assertThat(c.text()).isEqualTo("Yes, interested. Can you do Tuesday at 10?");
    }

    @Test
    void exchangeAutomaticReplyIsOutOfOfficeWithItsReturnDate() {
      Classification c = classifier.classify(Eml.load("exchange-out-of-office.eml"));
      assertThat(c.replyClass()).isEqualTo(ReplyClass.OUT_OF_OFFICE);
      assertThat(c.returnDate()).isEqualTo(LocalDate.of(2028, 1, 10));
      assertThat(c.reason()).isEqualTo("Auto-Submitted: auto-generated");
      assertThat(c.replyClass().isHuman()).isFalse();
    }

    @Test
    void outlookAutomaticReplyWithOnlySuppressHeaderIsOutOfOffice() {
      Classification c = classifier.classify(Eml.load("outlook-automatic-reply-suppress-only.eml"));
      assertThat(c.replyClass()).isEqualTo(ReplyClass.OUT_OF_OFFICE);
      assertThat(c.returnDate()).isEqualTo(LocalDate.of(2027, 3, 14));
      assertThat(c.reason())
          .isEqualTo("X-Auto-Response-Suppress: All with an out-of-office subject");
    }

    @Test
    void gmailVacationResponderIsOutOfOfficeWithItsReturnDate() {
      Classification c = classifier.classify(Eml.load("gmail-vacation-responder.eml"));
      assertThat(c.replyClass()).isEqualTo(ReplyClass.OUT_OF_OFFICE);
      assertThat(c.returnDate()).isEqualTo(LocalDate.of(2027, 3, 14));
      assertThat(c.reason()).isEqualTo("Auto-Submitted: auto-replied");
    }

    @Test
    void ticketAutoresponderWithoutHeadersIsAutoReplyDespiteItsUnsubscribeFooter() {
      Classification c = classifier.classify(Eml.load("ticket-autoresponder.eml"));
      assertThat(c.replyClass()).isEqualTo(ReplyClass.AUTO_REPLY);
      assertThat(c.reason()).isEqualTo("phrase 'we have received your request'");
      assertThat(c.returnDate()).isNull();
    }

    @Test
    void ticketAutoresponderWithHeadersIsAutoReplyDespiteBookACall() {
      Classification c = classifier.classify(Eml.load("ticket-autoresponder-with-header.eml"));
      assertThat(c.replyClass()).isEqualTo(ReplyClass.AUTO_REPLY);
      assertThat(c.reason()).isEqualTo("Auto-Submitted: auto-replied");
    }

    @Test
    void leftTheCompanyNoticeIsAutoReply() {
      Classification c = classifier.classify(Eml.load("no-longer-with-company.eml"));
      assertThat(c.replyClass()).isEqualTo(ReplyClass.AUTO_REPLY);
      assertThat(c.reason()).isEqualTo("phrase 'is no longer with'");
    }

    @Test
    void signatureMentioningUnsubscribeDoesNotCount() {
      Classification c = classifier.classify(Eml.load("signature-neutral.eml"));
      assertThat(c.replyClass()).isEqualTo(ReplyClass.NEUTRAL);
      assertThat(c.text())
          .isEqualTo("I'm not the right person for this, try our ops lead Frances.");
    }
  }

  @Nested
  class Headers {

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "Auto-Submitted  | auto-replied          | Auto-Submitted: auto-replied",
          "auto-submitted  | Auto-Generated; x=1   | Auto-Submitted: Auto-Generated; x=1",
          "X-Autoreply     | yes                   | X-Autoreply: yes",
          "X-Autorespond   | Thank you             | X-Autorespond: Thank you",
          "Precedence      | bulk                  | Precedence: bulk",
          "Precedence      | auto_reply            | Precedence: auto_reply",
          "Precedence      | junk                  | Precedence: junk",
          "Return-Path     | <>                    | Return-Path: <>"
        })
    void automaticHeaderMakesAnAutoReply(String name, String value, String reason) {
      Classification c =
          classify("Re: Quick idea", "Sounds good, let's talk!", Map.of(name, List.of(value)));
      assertThat(c.replyClass()).isEqualTo(ReplyClass.AUTO_REPLY);
      assertThat(c.reason()).isEqualTo(reason);
    }

    @Test
    void autoSubmittedNoIsAPerson() {
      Classification c =
          classify("Re: Quick idea", "Sounds good!", Map.of("Auto-Submitted", List.of("no")));
      assertThat(c.replyClass()).isEqualTo(ReplyClass.INTERESTED);
    }

    @Test
    void precedenceListIsAPerson() {
      Classification c =
          classify("Re: Quick idea", "Sounds good!", Map.of("Precedence", List.of("list")));
      assertThat(c.replyClass()).isEqualTo(ReplyClass.INTERESTED);
    }

    @Test
    void autoResponseSuppressAloneIsAPerson() {
      Classification c =
          classify(
              "RE: Quick idea",
              "Not interested.",
              Map.of("X-Auto-Response-Suppress", List.of("All")));
      assertThat(c.replyClass()).isEqualTo(ReplyClass.NOT_INTERESTED);
    }

    @Test
    void automaticHeaderWithAwayTextIsOutOfOffice() {
      Classification c =
          classify(
              "Re: Quick idea",
              "I'm on vacation and will be back on January 18.",
              Map.of("X-Autoreply", List.of("yes")));
      assertThat(c.replyClass()).isEqualTo(ReplyClass.OUT_OF_OFFICE);
      assertThat(c.returnDate()).isEqualTo(LocalDate.of(2027, 1, 18));
      assertThat(c.reason()).isEqualTo("X-Autoreply: yes");
    }
  }

  @Nested
  class OutOfOffice {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
        delimiter = '|',
        value = {
          "Automatic reply: Quick idea for Navy | Automatic reply:",
          "Out of Office: Quick idea for Navy   | Out of Office",
          "Auto: Quick idea for Navy            | Auto:",
          "Abwesenheitsnotiz: Quick idea        | Abwesenheitsnotiz:",
          "OOO until Monday                     | OOO"
        })
    void outOfOfficeSubjectWithoutHeaders(String subject, String prefix) {
      Classification c = classify(subject, "Thank you for your message.", Map.of());
      assertThat(c.replyClass()).isEqualTo(ReplyClass.OUT_OF_OFFICE);
      assertThat(c.reason()).isEqualTo("subject '" + prefix + "'");
    }

    @Test
    void paragraphStartingWithOutOfOfficeIsOutOfOffice() {
      Classification c =
          classify("Re: Quick idea", "Hello,\n\nOut of office until 1/18.", Map.of());
      assertThat(c.replyClass()).isEqualTo(ReplyClass.OUT_OF_OFFICE);
      assertThat(c.reason()).isEqualTo("phrase 'out of office'");
      assertThat(c.returnDate()).isEqualTo(LocalDate.of(2027, 1, 18));
    }

    @Test
    void returnDateMayComeFromTheSubject() {
      Classification c =
          classify("Out of office until 18 January", "Thank you for your message.", Map.of());
      assertThat(c.returnDate()).isEqualTo(LocalDate.of(2027, 1, 18));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
        delimiter = '|',
        value = {
          "I am out of the office until the 15th.                      | 2027-01-15",
          "I'm currently out of office and will return on March 3rd.   | 2027-03-03",
          "I am on annual leave until Monday, January 10, 2028.        | 2028-01-10",
          "I'm on parental leave until 14 March 2027.                  | 2027-03-14",
          "I have limited access to email until next Monday.           | 2027-01-11",
          "Thanks for your note. I'm currently out of the office.      | "
        })
    void outOfOfficeTextEvenWithoutHeaders(String body, LocalDate returnDate) {
      Classification c = classify(body);
      assertThat(c.replyClass()).isEqualTo(ReplyClass.OUT_OF_OFFICE);
      assertThat(c.returnDate()).isEqualTo(returnDate);
    }

    @Test
    void outOfOfficeTextWinsOverPhrasesInTheAutoreply() {
      Classification c =
          classify(
              "I am out of the office until January 18. If you want to book a call, please "
                  + "contact my colleague Frances. To unsubscribe from our newsletter, reply STOP.");
      assertThat(c.replyClass()).isEqualTo(ReplyClass.OUT_OF_OFFICE);
      assertThat(c.returnDate()).isEqualTo(LocalDate.of(2027, 1, 18));
      assertThat(c.reason()).isEqualTo("phrase 'out of the office until'");
    }

    @Test
    void personOutOfOfficeProposingAnotherDayIsInterested() {
      Classification c = classify("I'm out of office tomorrow, can we do Friday instead?");
      assertThat(c.replyClass()).isEqualTo(ReplyClass.INTERESTED);
      assertThat(c.reason()).isEqualTo("phrase 'can we do friday'");
    }

    @Test
    void outOfOfficeSentenceAloneIsOutOfOffice() {
      Classification c = classify("Hi, I'm currently out of office.");
      assertThat(c.replyClass()).isEqualTo(ReplyClass.OUT_OF_OFFICE);
      assertThat(c.reason()).isEqualTo("phrase 'i'm currently out of office'");
      assertThat(c.returnDate()).isNull();
    }

    @Test
    void awayPhraseAloneIsOutOfOffice() {
      Classification c = classify("I will be back on Monday the 5th.");
      assertThat(c.replyClass()).isEqualTo(ReplyClass.OUT_OF_OFFICE);
      assertThat(c.returnDate()).isEqualTo(LocalDate.of(2027, 4, 5));
    }

    @Test
    void travellingPersonWhoWantsToTalkIsInterested() {
      Classification c =
          classify("I'm travelling this week, but let's talk when I'm back on Monday.");
      assertThat(c.replyClass()).isEqualTo(ReplyClass.INTERESTED);
      assertThat(c.returnDate()).isNull();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "Sorry for the slow reply, I was on vacation until Monday.",
          "I was out of the office last week.",
          "We were out of office until January 4 for the holidays."
        })
    void pastOutOfOfficeIsNotOutOfOffice(String body) {
      assertThat(classOf(body)).isEqualTo(ReplyClass.NEUTRAL);
    }

    @Test
    void backOnSomethingThatIsNoDateIsNotOutOfOffice() {
      assertThat(classOf("I'll be back on this after our planning meeting."))
          .isEqualTo(ReplyClass.NEUTRAL);
    }
  }

  @Nested
  class AutoReplies {

    @ParameterizedTest
    @ValueSource(
        strings = {
          "This is an automatic reply. Your message has been delivered.",
          "Thank you for your email. This mailbox is not monitored.",
          "We have received your request and will respond within 24 hours.",
          "Your request (#48213) has been received and is being reviewed.",
          "This is an automated response: please do not reply to this email.",
          "Jane Doe no longer works at Example. Please contact sales@example.com."
        })
    void automaticTextIsAutoReply(String body) {
      assertThat(classOf(body)).isEqualTo(ReplyClass.AUTO_REPLY);
    }

    @Test
    void autoReplySubjectIsAutoReply() {
      Classification c = classify("Auto-Reply: Quick idea", "Thanks for writing.", Map.of());
      assertThat(c.replyClass()).isEqualTo(ReplyClass.AUTO_REPLY);
      assertThat(c.reason()).isEqualTo("subject 'Auto-Reply'");
    }

    @Test
    void autoReplySubjectWithAwayTextIsOutOfOffice() {
      Classification c =
          classify("Auto-Reply: Quick idea", "I'm away until 1/12, back then.", Map.of());
      assertThat(c.replyClass()).isEqualTo(ReplyClass.OUT_OF_OFFICE);
      assertThat(c.returnDate()).isEqualTo(LocalDate.of(2027, 1, 12));
    }
  }

  @Nested
  class Unsubscribe {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
        delimiter = '|',
        value = {
          "Please remove me from your list.                      | remove me",
          "unsubscribe                                           | unsubscribe",
          "Stop emailing me.                                     | stop emailing",
          "Can you take me off your list? Thanks.                | take me off",
          "Do not contact me again.                              | do not contact me",
          "I'd like to opt out of these emails.                  | opt out",
          "Please stop sending these.                            | stop sending",
          "How do I unsubscribe from this?                       | unsubscribe",
          "Never signed up for this so unsubscribe me            | unsubscribe",
          "I never asked for this, remove me now                 | remove me",
          "No more emails please.                                | no more emails",
          "Don't email me again.                                 | don't email me",
          "Remove                                                | remove"
        })
    void explicitRequestsToStopAreUnsubscribe(String body, String phrase) {
      Classification c = classify(body);
      assertThat(c.replyClass()).isEqualTo(ReplyClass.UNSUBSCRIBE);
      assertThat(c.reason()).isEqualTo("phrase '" + phrase + "'");
    }

    @Test
    void smsStopKeywordIsUnsubscribe() {
      Classification c = classifier.classify(new InboundReply(null, "STOP", Map.of(), RECEIVED));
      assertThat(c.replyClass()).isEqualTo(ReplyClass.UNSUBSCRIBE);
      assertThat(c.reason()).isEqualTo("SMS keyword STOP");
    }

    @Test
    void unsubscribeWinsOverInterest() {
      assertThat(classOf("Sounds good for someone else maybe, but remove me from this list."))
          .isEqualTo(ReplyClass.UNSUBSCRIBE);
    }

    @Test
    void unsubscribeAcrossAWrappedLine() {
      assertThat(classOf("Whoever you are, please take\nme off your mailing list."))
          .isEqualTo(ReplyClass.UNSUBSCRIBE);
    }
  }

  @Nested
  class Negations {

    @ParameterizedTest
    @ValueSource(
        strings = {
          "I don't want to unsubscribe, I just don't have time this week.",
          "Please don't remove me, I'm reading these.",
          "I do not want to opt out.",
          "No need to unsubscribe me.",
          "I never said stop emailing me!",
          "What does \"unsubscribe\" in your footer do exactly?",
          "Your footer says 'opt out' twice."
        })
    void negatedOrQuotedUnsubscribeIsNotUnsubscribe(String body) {
      assertThat(classOf(body)).isNotEqualTo(ReplyClass.UNSUBSCRIBE);
    }

    @Test
    void negatedUnsubscribeFallsThroughToTheRestOfTheReply() {
      Classification c = classify("I don't want to unsubscribe; sounds good, let's talk.");
      assertThat(c.replyClass()).isEqualTo(ReplyClass.INTERESTED);
      assertThat(c.reason()).isEqualTo("phrase 'sounds good'");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "I'm not interested.",
          "We would not be interested.",
          "I don't think we'd be interested.",
          "That doesn't sound good to me, no thanks.",
          "I'm not happy to chat about this.",
          "Thursday doesn't work for me and we're not looking."
        })
    void negatedInterestIsNotInterested(String body) {
      assertThat(classOf(body)).isEqualTo(ReplyClass.NOT_INTERESTED);
    }

    @Test
    void negatedInterestNamesThePhrase() {
      assertThat(classify("I'm not happy to chat about this.").reason())
          .isEqualTo("negated phrase 'happy to chat'");
    }

    @Test
    void dontForgetIsNoNegation() {
      assertThat(classOf("Don't forget to remove me from the list."))
          .isEqualTo(ReplyClass.UNSUBSCRIBE);
    }
  }

  @Nested
  class Interested {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
        delimiter = '|',
        value = {
          "Sounds good!                                          | sounds good",
          "Sure, let's talk next week.                           | let's talk",
          "Happy to chat. Thursday?                              | happy to chat",
          "Can we book a call for Friday?                        | book a call",
          "Send me more info please.                             | send me more info",
          "What's your availability next week?                   | what's your availability",
          "Yes, interested.                                      | yes, interested",
          "Can you do Tuesday?                                   | can you do tuesday",
          "We'd be very interested in a pilot.                   | we'd be very interested",
          "Tuesday at 2pm works for me.                          | works for me",
          "Yes please                                            | yes please",
          "What's the pricing for 50 seats?                      | what's the pricing",
          "Let me know your availability.                        | know your availability",
          "Definitely interested!                                | definitely interested",
          "I'd be open to a call in February.                    | open to a call"
        })
    void positiveRepliesAreInterested(String body, String phrase) {
      Classification c = classify(body);
      assertThat(c.replyClass()).isEqualTo(ReplyClass.INTERESTED);
      assertThat(c.reason()).isEqualTo("phrase '" + phrase + "'");
    }

    @Test
    void proposingAConversationWinsOverAPoliteDecline() {
      assertThat(classOf("Not right now, but happy to chat in Q3."))
          .isEqualTo(ReplyClass.INTERESTED);
    }
  }

  @Nested
  class NotInterested {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
        delimiter = '|',
        value = {
          "Not interested.                                       | not interested",
          "No thanks.                                            | no thanks",
          "We already use Outreach for this.                     | we already use",
          "Honestly not a fit for a team our size.               | not a fit",
          "Not right now.                                        | not right now",
          "Please don't follow up.                               | please don't follow up",
          "We're all set, thank you.                             | we're all set",
          "No                                                    | no",
          "No. Thanks.                                           | no. thanks.",
          "Thanks, we're good.                                   | we're good.",
          "We have no budget this year.                          | no budget"
        })
    void politeDeclinesAreNotInterested(String body, String phrase) {
      Classification c = classify(body);
      assertThat(c.replyClass()).isEqualTo(ReplyClass.NOT_INTERESTED);
      assertThat(c.reason()).isEqualTo("phrase '" + phrase + "'");
    }
  }

  @Nested
  class Neutral {

    @ParameterizedTest
    @ValueSource(
        strings = {
          "Who is this?",
          "How did you get my address?",
          "Forwarding to Frances, she owns scheduling.",
          "Thanks",
          "I'm not the right person, try ops@example.com."
        })
    void otherHumanRepliesAreNeutral(String body) {
      Classification c = classify(body);
      assertThat(c.replyClass()).isEqualTo(ReplyClass.NEUTRAL);
      assertThat(c.reason()).isEqualTo("no known phrase");
      assertThat(c.text()).isEqualTo(body);
    }

    @Test
    void quoteOnlyReplyIsNeutralWithEmptyText() {
      Classification c = classify("> Want a walkthrough? Reply STOP to opt out.");
      assertThat(c.replyClass()).isEqualTo(ReplyClass.NEUTRAL);
      assertThat(c.text()).isEmpty();
      assertThat(c.reason()).isEqualTo("no text above the quote");
    }
  }

  @Test
  void phrasesInTheQuotedMessageDoNotCount() {
    String body =
        """
        Who are you?

        On Mon, Jan 4, 2027 at 9:00 AM Ada <ada@acme.test> wrote:
        > Sounds good? Reply "remove me" to opt out.
        """;
    Classification c = classify(body);
    assertThat(c.replyClass()).isEqualTo(ReplyClass.NEUTRAL);
    assertThat(c.text()).isEqualTo("Who are you?");
  }

  @Test
  void subjectDoesNotDecideHumanClasses() {
    Classification c = classify("Re: Remove me? Sounds good", "Who is this?", Map.of());
    assertThat(c.replyClass()).isEqualTo(ReplyClass.NEUTRAL);
  }

  @Test
  void isThreadSafeAndReusable() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<ReplyClass>> results =
          pool.invokeAll(
              java.util.Collections.nCopies(
                  200,
                  () -> classifier.classify(Eml.load("exchange-out-of-office.eml")).replyClass()));
      for (Future<ReplyClass> result : results) {
        assertThat(result.get()).isEqualTo(ReplyClass.OUT_OF_OFFICE);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
