package dev.sequencer.content.reply;

import java.util.Locale;

/** What a reply to a campaign message is, as the API reports it ({@link #wireName()}). */
public enum ReplyClass {
  INTERESTED,
  NOT_INTERESTED,
  NEUTRAL,
  OUT_OF_OFFICE,
  AUTO_REPLY,
  UNSUBSCRIBE;

  /** The API's name: {@code interested}, {@code not_interested}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a person wrote the reply; out-of-office and other automatic replies are not. */
  public boolean isHuman() {
    return this != OUT_OF_OFFICE && this != AUTO_REPLY;
  }
}
