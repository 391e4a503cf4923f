package dev.sequencer.content.reply;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recognises the carrier keywords of an inbound SMS (CTIA and FCC opt-out rules, as Twilio applies
 * them).
 *
 * <ul>
 *   <li><b>Whole message</b>: after dropping everything that is not a letter and lower-casing, the
 *       message is a keyword: {@code STOP}, {@code STOPALL}, {@code UNSUBSCRIBE}, {@code CANCEL},
 *       {@code END}, {@code QUIT}, {@code REVOKE}, {@code OPTOUT} give {@link SmsKeyword#STOP};
 *       {@code START}, {@code UNSTOP} give {@link SmsKeyword#START}; {@code HELP}, {@code INFO}
 *       give {@link SmsKeyword#HELP}. So {@code "Stop."}, {@code " STOP "}, {@code "STOP!!!"},
 *       {@code "Opt out"} and {@code "stop all"} count. {@code YES} is not {@code START}.
 *   <li><b>Short opt-out sentence</b> (STOP only; re-subscribing and help must be the whole
 *       message): the message has at most {@value #SHORT_SENTENCE_WORDS} words, at least one is a
 *       STOP keyword ({@code opt out} and {@code opt me out} count as the keyword and {@code me}),
 *       and every other word belongs to the closed opt-out vocabulary of {@link #OPT_OUT_CONTEXT}:
 *       who and what is being stopped ({@code me}, {@code texting}, {@code messages}, {@code this
 *       number}) and courtesy ({@code please}, {@code now}, {@code thanks}). "please stop texting
 *       me", "stop messaging me", "unsubscribe me please" are STOP. "I can't stop thinking about
 *       your offer, let's talk", "end of the month works for me" and "cancel my Friday meeting and
 *       call me" are not: they are longer or hold words outside that vocabulary. A negation ("don't
 *       stop") is outside it too.
 * </ul>
 */
public final class SmsKeywords {

  static final int SHORT_SENTENCE_WORDS = 6;
  private static final Set<String> STOP_WORDS =
      Set.of("stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout");
  private static final Set<String> START_WORDS = Set.of("start", "unstop");
  private static final Set<String> HELP_WORDS = Set.of("help", "info");

  /** The words that may stand beside a STOP keyword in a short opt-out sentence. */
  static final Set<String> OPT_OUT_CONTEXT =
      Set.of(
          "please",
          "pls",
          "plz",
          "now",
          "immediately",
          "asap",
          "thanks",
          "thank",
          "you",
          "thx",
          "ok",
          "okay",
          "just",
          "all",
          "me",
          "us",
          "my",
          "our",
          "this",
          "these",
          "that",
          "it",
          "the",
          "your",
          "from",
          "to",
          "number",
          "list",
          "texting",
          "texts",
          "text",
          "txt",
          "txts",
          "messaging",
          "messages",
          "message",
          "msgs",
          "msg",
          "sms",
          "sending",
          "send",
          "contacting",
          "contact",
          "spamming",
          "spam",
          "bothering",
          "calling",
          "subscription",
          "sub",
          "already",
          "no",
          "more");

  private SmsKeywords() {}

  /** The keyword the message amounts to; {@link SmsKeyword#NONE} for {@code null} or blank. */
  public static SmsKeyword of(String body) {
    if (body == null || body.isBlank()) {
      return SmsKeyword.NONE;
    }
    String lower = body.toLowerCase(Locale.ROOT);
    String letters =
        lower
            .codePoints()
            .filter(Character::isLetter)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    if (STOP_WORDS.contains(letters)) {
      return SmsKeyword.STOP;
    }
    if (START_WORDS.contains(letters)) {
      return SmsKeyword.START;
    }
    if (HELP_WORDS.contains(letters)) {
      return SmsKeyword.HELP;
    }
    return isShortOptOutSentence(words(lower)) ? SmsKeyword.STOP : SmsKeyword.NONE;
  }

  private static List<String> words(String lower) {
    String joined = lower.replaceAll("\\bopt[\\s-]+(?:(me|us)[\\s-]+)?out\\b", "optout $1");
    return Arrays.stream(joined.split("[^\\p{L}\\p{N}']+")).filter(w -> !w.isEmpty()).toList();
  }

  private static boolean isShortOptOutSentence(List<String> words) {
    return words.size() <= SHORT_SENTENCE_WORDS
        && words.stream().anyMatch(STOP_WORDS::contains)
        && words.stream().allMatch(w -> STOP_WORDS.contains(w) || OPT_OUT_CONTEXT.contains(w));
  }
}
