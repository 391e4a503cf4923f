package dev.sequencer.content.reply;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Classifies replies to campaign messages. Stateless: one instance may be shared by any number of
 * threads.
 *
 * <p>The first rule that applies decides:
 *
 * <ol>
 *   <li><b>Automatic headers</b> ({@code Auto-Submitted} other than {@code no}, {@code
 *       X-Autoreply}, {@code X-Autorespond} and kin, {@code Precedence: auto_reply|bulk|junk},
 *       {@code Return-Path: <>}, {@code X-Auto-Response-Suppress} with an out-of-office subject):
 *       {@link ReplyClass#OUT_OF_OFFICE} when the subject or text says out of office, else {@link
 *       ReplyClass#AUTO_REPLY}.
 *   <li><b>Out-of-office subject</b> ({@code Automatic reply:}, {@code Out of Office:}, {@code
 *       Auto:}, {@code Abwesenheitsnotiz:}, ...): out of office.
 *   <li><b>Out-of-office text</b> that no person writes in a reply ("I am out of the office", "I'm
 *       currently out of office", "on vacation until", "limited access to email"): out of office.
 *       Past tense ("I was out of office last week") does not count.
 *   <li><b>Automatic subject</b> ({@code Auto-Reply}, {@code Autoresponder}, ...): out of office
 *       when the text says the sender is away, else automatic reply.
 *   <li><b>Automatic text</b> ("This is an automatic reply", "this mailbox is not monitored", "We
 *       have received your request", "is no longer with the company"): automatic reply.
 *   <li><b>Unsubscribe</b>: an explicit request to stop contact ("remove me", "unsubscribe", "stop
 *       emailing me", "take me off your list", "do not contact me again", "opt out", "stop
 *       sending"), or a message that is an SMS STOP keyword ({@link SmsKeywords}). It wins over
 *       every other human signal because honouring it is a legal duty. Polite declines that ask for
 *       no follow-up ("please don't follow up") are not unsubscribes but declines.
 *   <li><b>Interested</b> ("sounds good", "let's talk", "happy to chat", "book a call", "send me
 *       more info", "what's your availability", "yes, interested", "can you do Tuesday?"). It wins
 *       over a decline in the same reply ("not right now, but happy to chat in Q3"): a reply that
 *       proposes a conversation deserves a person's attention.
 *   <li><b>Not interested</b> ("not interested", "no thanks", "we already use X", "not a fit", "not
 *       right now", "please don't follow up"), or an interested phrase that is negated ("I'm not
 *       happy to chat", "I don't think we'd be interested").
 *   <li><b>Away</b> phrases a person might also write ("I'm on vacation", "I will be back on Monday
 *       the 5th", the latter only with a readable date), with none of the above: out of office.
 *   <li>Otherwise {@link ReplyClass#NEUTRAL}.
 * </ol>
 *
 * <p>Phrases are looked for in the text with quotes and signature stripped ({@link
 * QuotedText#strip}); the subject only counts for out-of-office and automatic replies. A phrase
 * that is negated ("I don't want to unsubscribe") or in double quotes does not count; see {@link
 * Phrases}. The return date of an out-of-office reply comes from {@link ReturnDates}, from the text
 * first and then from the subject.
 */
public final class ReplyClassifier {

  public Classification classify(InboundReply reply) {
    Objects.requireNonNull(reply, "reply");
    String text = QuotedText.strip(reply.body());
    String normalized = Phrases.normalize(text);
    String subject = Phrases.normalize(reply.subject().strip());
    String subjectAndText = subject + "\n" + normalized;
    Matcher outOfOfficeSubject = ReplyPhrases.OUT_OF_OFFICE_SUBJECT.matcher(reply.subject());
    boolean hasOutOfOfficeSubject = outOfOfficeSubject.lookingAt();
    Optional<String> outOfOfficeText = ReplyPhrases.OUT_OF_OFFICE.find(subjectAndText);
    Optional<String> away =
        ReplyPhrases.AWAY
            .find(subjectAndText)
            .or(() -> returning(subjectAndText, text, reply.receivedOn()));

    Optional<String> header = AutomaticHeaders.reason(reply, hasOutOfOfficeSubject);
    if (header.isPresent()) {
      boolean outOfOffice =
          hasOutOfOfficeSubject || outOfOfficeText.isPresent() || away.isPresent();
      return outOfOffice
          ? outOfOffice(reply, text, header.get())
          : new Classification(ReplyClass.AUTO_REPLY, null, text, header.get());
    }
    if (hasOutOfOfficeSubject) {
      return outOfOffice(reply, text, "subject '" + outOfOfficeSubject.group().strip() + "'");
    }
    if (outOfOfficeText.isPresent()) {
      return outOfOffice(reply, text, phrase(outOfOfficeText.get()));
    }
    Matcher automaticSubject = ReplyPhrases.AUTOMATIC_SUBJECT.matcher(reply.subject());
    if (automaticSubject.lookingAt()) {
      String reason = "subject '" + automaticSubject.group().strip() + "'";
      return away.isPresent()
          ? outOfOffice(reply, text, reason)
          : new Classification(ReplyClass.AUTO_REPLY, null, text, reason);
    }
    Optional<String> automatic = ReplyPhrases.AUTOMATIC.find(subjectAndText);
    if (automatic.isPresent()) {
      return new Classification(ReplyClass.AUTO_REPLY, null, text, phrase(automatic.get()));
    }
    Optional<String> unsubscribe = ReplyPhrases.UNSUBSCRIBE.find(normalized);
    if (unsubscribe.isPresent()) {
      return new Classification(ReplyClass.UNSUBSCRIBE, null, text, phrase(unsubscribe.get()));
    }
    if (SmsKeywords.of(text) == SmsKeyword.STOP) {
      return new Classification(ReplyClass.UNSUBSCRIBE, null, text, "SMS keyword STOP");
    }
    Optional<String> interested = ReplyPhrases.INTERESTED.find(normalized);
    if (interested.isPresent()) {
      return new Classification(ReplyClass.INTERESTED, null, text, phrase(interested.get()));
    }
    Optional<String> declined = ReplyPhrases.NOT_INTERESTED.find(normalized);
    if (declined.isPresent()) {
      return new Classification(ReplyClass.NOT_INTERESTED, null, text, phrase(declined.get()));
    }
    Optional<String> negatedInterest = ReplyPhrases.INTERESTED.findNegated(normalized);
    if (negatedInterest.isPresent()) {
      return new Classification(
          ReplyClass.NOT_INTERESTED, null, text, "negated " + phrase(negatedInterest.get()));
    }
    if (away.isPresent()) {
      return outOfOffice(reply, text, phrase(away.get()));
    }
    return new Classification(
        ReplyClass.NEUTRAL,
        null,
        text,
        text.isEmpty() ? "no text above the quote" : "no known phrase");
  }

  private static Classification outOfOffice(InboundReply reply, String text, String reason) {
    LocalDate receivedOn = reply.receivedOn();
    LocalDate returnDate =
        ReturnDates.find(text, receivedOn)
            .or(() -> ReturnDates.find(reply.subject(), receivedOn))
            .orElse(null);
    return new Classification(ReplyClass.OUT_OF_OFFICE, returnDate, text, reason);
  }

  /** A return phrase, when a return date can be read from the text. */
  private static Optional<String> returning(String normalized, String text, LocalDate receivedOn) {
    return ReplyPhrases.RETURNING
        .find(normalized)
        .filter(found -> ReturnDates.find(text, receivedOn).isPresent());
  }

  private static String phrase(String found) {
    return "phrase '" + found.replaceAll("\\s+", " ") + "'";
  }
}
