package dev.sequencer.content;

import java.util.Locale;

/** The subject of a message that answers another in its thread. */
public final class ThreadSubjects {

  private ThreadSubjects() {}

  /** "Re: " and the original subject, once: a subject that already answers stays as it is. */
  public static String reply(String original) {
    return original.toLowerCase(Locale.ROOT).startsWith("re:") ? original : "Re: " + original;
  }
}
