package dev.sequencer.content.reply;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A set of phrases looked for in normalized text ({@link #normalize(String)}), skipping occurrences
 * that are negated or quoted.
 *
 * <p>An occurrence is <em>negated</em> when one of the (at most) {@value #NEGATION_WINDOW} words
 * before it in the same clause is a negation ("not", "never", "no need", any "…n't"): "I don't want
 * to unsubscribe". A clause ends at punctuation ({@code . , ; : ! ?}), a line break or a
 * conjunction ("but", "so", "and", "or", "then", "because", "although", "however"), so "I never
 * signed up, remove me" and "I never signed up so remove me" are not negated. "Don't forget to" and
 * "don't hesitate to" are not negations. An occurrence is <em>quoted</em> when it stands in double
 * quotes within its paragraph: {@code the word "unsubscribe"}. Phrases are matched as whole words,
 * so one directly inside single quotes ({@code 'unsubscribe'}) is not found either.
 */
final class Phrases {

  static final int NEGATION_WINDOW = 4;
  private static final Pattern NEGATION =
      Pattern.compile(
          "\\b(?:not|never|cannot|no need|no reason|nobody|\\w+n't|dont|didnt|doesnt|wont|wouldnt"
              + "|cant|isnt|arent|wasnt|shouldnt|havent)\\b(?!\\s+(?:forget|hesitate)\\b)");
  private static final Pattern CLAUSE_WORD =
      Pattern.compile("\\b(?:but|so|and|or|then|because|although|though|however)\\b");
  private static final String CLAUSE_PUNCTUATION = ".,;:!?\n()";

  private final Pattern pattern;
  private final Pattern negation;

  private Phrases(Pattern pattern, Pattern negation) {
    this.pattern = pattern;
    this.negation = negation;
  }

  /** Phrases given as regular expressions over normalized text, each matched as whole words. */
  static Phrases of(List<String> regexes) {
    return new Phrases(compile(regexes), NEGATION);
  }

  /** Like {@link #of(List)}, with extra words that cancel an occurrence, such as "was". */
  static Phrases of(List<String> regexes, String extraNegations) {
    Pattern negation =
        Pattern.compile("(?:" + NEGATION.pattern() + ")|\\b(?:" + extraNegations + ")\\b");
    return new Phrases(compile(regexes), negation);
  }

  private static Pattern compile(List<String> regexes) {
    return Pattern.compile("(?<![\\w'])(?:" + String.join("|", regexes) + ")(?![\\w'])");
  }

  /**
   * Lower case, straight quotes, single spaces. A single line break becomes a space (mail clients
   * wrap long lines); a paragraph break becomes one line break, which ends a clause.
   */
  static String normalize(String text) {
    return text.toLowerCase(Locale.ROOT)
        .replaceAll("[\u2018\u2019\u201b\u00b4`]", "'")
        .replaceAll("[\u201c\u201d\u201e\u00ab\u00bb]", "\"")
        .replaceAll("[\\t\\x0B\\f\\r \\u00a0\\u2000-\\u200a\\u202f]+", " ")
        .replaceAll(" ?\n ?", "\n")
        .replaceAll("(?<!\n)\n(?!\n)", " ")
        .replaceAll("\n+", "\n");
  }

  /** The first occurrence that is neither negated nor quoted, as it appears in the text. */
  Optional<String> find(String normalized) {
    return find(normalized, false);
  }

  /** The first occurrence that is negated but not quoted: "I'm not happy to chat". */
  Optional<String> findNegated(String normalized) {
    return find(normalized, true);
  }

  private Optional<String> find(String normalized, boolean negated) {
    Matcher m = pattern.matcher(normalized);
    while (m.find()) {
      if (negated(normalized, m.start()) == negated && !quoted(normalized, m.start())) {
        return Optional.of(m.group().strip());
      }
    }
    return Optional.empty();
  }

  private boolean negated(String text, int start) {
    int clauseStart = 0;
    for (int i = start - 1; i >= 0; i--) {
      if (CLAUSE_PUNCTUATION.indexOf(text.charAt(i)) >= 0) {
        clauseStart = i + 1;
        break;
      }
    }
    String clause = text.substring(clauseStart, start);
    Matcher word = CLAUSE_WORD.matcher(clause);
    int afterConjunction = 0;
    while (word.find()) {
      afterConjunction = word.end();
    }
    String[] words = clause.substring(afterConjunction).strip().split(" ");
    int from = Math.max(0, words.length - NEGATION_WINDOW);
    String window = String.join(" ", List.of(words).subList(from, words.length));
    return negation.matcher(window).find();
  }

  private static boolean quoted(String text, int start) {
    int lineStart = text.lastIndexOf('\n', start - 1) + 1;
    long quotes = text.substring(lineStart, start).chars().filter(c -> c == '"').count();
    return quotes % 2 == 1;
  }
}
