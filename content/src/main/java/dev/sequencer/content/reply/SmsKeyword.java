package dev.sequencer.content.reply;

/** The carrier keyword an inbound SMS amounts to; see {@link SmsKeywords#of(String)}. */
public enum SmsKeyword {
  /** Opt out: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT. */
  STOP,
  /** Opt back in: START, UNSTOP. */
  START,
  /** Ask for the help text: HELP, INFO. */
  HELP,
  /** An ordinary message. */
  NONE
}
