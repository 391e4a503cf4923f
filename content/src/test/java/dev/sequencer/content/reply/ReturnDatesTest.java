package dev.sequencer.content.reply;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReturnDatesTest {

  /** A Thursday. */
  private static final LocalDate RECEIVED = LocalDate.of(2027, 1, 7);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "I will be back on March 3rd.                                   | 2027-03-03",
        "Out of office, returning 3/14                                  | 2027-03-14",
        "I am out of the office until Monday, January 10, 2028.         | 2028-01-10",
        "I'll be back on 14 March 2027.                                 | 2027-03-14",
        "I'm on annual leave until the 5th.                             | 2027-02-05",
        "I am travelling until next Monday.                             | 2027-01-11",
        "Back in the office on 2027-02-01.                              | 2027-02-01",
        "I will return to work on Tuesday, 3/16/2027.                   | 2027-03-16",
        "Back on Monday the 5th.                                        | 2027-04-05",
        "I am away until Friday.                                        | 2027-01-08",
        "I will be returning to the office on Jan. 18.                  | 2027-01-18",
        "Out through Wednesday, January 13.                             | 2027-01-13",
        "I'm out sick today, back tomorrow.                             | 2027-01-08",
        "Away at a conference, back next week.                          | 2027-01-11",
        "I return on the 14th of February.                              | 2027-02-14",
        "Limited access to email till 2/1/27.                           | 2027-02-01",
        "On parental leave until June 2028, back 1 June 2028.           | 2028-06-01",
        "I am available again from 15.02.2027.                          | 2027-02-15",
        "Ich bin bis zum 10.03.2027 nicht im Büro.                      | 2027-03-10",
        "On vacation 1/10 - 1/15, limited access to email.              | 2027-01-15",
        "Out of the office from January 11th to January 15th.           | 2027-01-15",
        "Away March 1-5 for a conference.                               | 2027-03-05",
        "Returning: Wed 13 Jan                                          | 2027-01-13",
        "I won't be back until Monday.                                  | 2027-01-11"
      })
  void findsTheReturnDate(String text, LocalDate expected) {
    assertThat(ReturnDates.find(text, RECEIVED)).contains(expected);
  }

  @Test
  void dateWithoutYearAlreadyPastThisYearIsNextYear() {
    assertThat(ReturnDates.find("back on January 3", RECEIVED)).contains(LocalDate.of(2028, 1, 3));
  }

  @Test
  void dateWithoutYearOnTheDayReceivedIsThatDay() {
    assertThat(ReturnDates.find("back on January 7", RECEIVED)).contains(RECEIVED);
  }

  @Test
  void rangeOverNewYearEndsInTheNextYear() {
    LocalDate received = LocalDate.of(2027, 12, 20);
    assertThat(ReturnDates.find("Away from Dec 23 to Jan 3.", received))
        .contains(LocalDate.of(2028, 1, 3));
  }

  @Test
  void leapDayWithoutYearIsTheNextLeapYear() {
    assertThat(ReturnDates.find("back on February 29", RECEIVED))
        .contains(LocalDate.of(2028, 2, 29));
  }

  @Test
  void weekdayAloneOnTheSameWeekdayMeansAWeekLater() {
    LocalDate monday = LocalDate.of(2027, 1, 4);
    assertThat(ReturnDates.find("I'm out until Monday", monday))
        .contains(LocalDate.of(2027, 1, 11));
  }

  @Test
  void slashedDatesAreUsMonthFirst() {
    assertThat(ReturnDates.find("returning 3/4", RECEIVED)).contains(LocalDate.of(2027, 3, 4));
  }

  @Test
  void slashedDateWhoseFirstNumberCannotBeAMonthIsDayFirst() {
    assertThat(ReturnDates.find("returning 14/03/2027", RECEIVED))
        .contains(LocalDate.of(2027, 3, 14));
  }

  @Test
  void returnPhraseWinsOverAnEarlierUntil() {
    assertThat(
            ReturnDates.find(
                "I'm on holiday until Friday, January 15 and will be back on Monday, January 18.",
                RECEIVED))
        .contains(LocalDate.of(2027, 1, 18));
  }

  @Test
  void explicitYearIsKeptEvenWhenPast() {
    assertThat(ReturnDates.find("back on 2 January 2026", RECEIVED))
        .contains(LocalDate.of(2026, 1, 2));
  }

  @Test
  void readsAcrossLineBreaks() {
    assertThat(ReturnDates.find("I will return on\nMonday,\nJanuary 11.", RECEIVED))
        .contains(LocalDate.of(2027, 1, 11));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "I'll get back to you on this next week.",
        "Thanks for reaching out, Tuesday at 10:30 works.",
        "I left on January 4.",
        "Returning customers get 10% off.",
        "back on 2/30",
        "until 13/13",
        "I am out of the office.",
        "Call me at 555-0100 until 5pm."
      })
  void findsNothingWithoutAReturnDate(String text) {
    assertThat(ReturnDates.find(text, RECEIVED)).isEmpty();
  }

  @Test
  void blankOrNullTextHasNoDate() {
    assertThat(ReturnDates.find("", RECEIVED)).isEmpty();
    assertThat(ReturnDates.find(null, RECEIVED)).isEmpty();
  }
}
