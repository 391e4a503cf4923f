package dev.sequencer.content;

/** The data coding an SMS body needs. */
public enum SmsEncoding {
  /** GSM 03.38 default alphabet with its extension table: 7-bit septets. */
  GSM7,
  /** Anything outside GSM-7: UTF-16 code units, two bytes each. */
  UCS2
}
