package dev.sequencer.content;

import java.util.Objects;

/**
 * How an SMS body is encoded and how many message segments it is sent as.
 *
 * @param encoding GSM-7 when every character is in the GSM 03.38 alphabet, else UCS-2
 * @param characters septets for GSM-7 (extension-table characters count 2), UTF-16 code units for
 *     UCS-2 (characters outside the BMP, such as most emoji, count 2)
 * @param segments 0 for an empty body, 1 when it fits a single message (160 septets, 70 units),
 *     else the number of concatenated parts (153 septets, 67 units each)
 */
public record SmsSegments(SmsEncoding encoding, int characters, int segments) {

  static final int GSM7_SINGLE = 160;
  static final int GSM7_PART = 153;
  static final int UCS2_SINGLE = 70;
  static final int UCS2_PART = 67;

  public static SmsSegments of(String body) {
    Objects.requireNonNull(body, "body");
    return Gsm7Alphabet.canEncode(body) ? gsm7(body) : ucs2(body);
  }

  // Phones never split an escape sequence or a surrogate pair across parts: a character that does
  // not fit in the rest of a part starts the next one, so parts may hold less than their maximum.
  private static SmsSegments gsm7(String body) {
    int total = 0;
    int parts = 1;
    int inPart = 0;
    for (int i = 0; i < body.length(); i++) {
      int size = Gsm7Alphabet.septets(body.charAt(i));
      total += size;
      if (inPart + size > GSM7_PART) {
        parts++;
        inPart = 0;
      }
      inPart += size;
    }
    return new SmsSegments(SmsEncoding.GSM7, total, count(total, GSM7_SINGLE, parts));
  }

  private static SmsSegments ucs2(String body) {
    int parts = 1;
    int inPart = 0;
    for (int i = 0; i < body.length(); i += Character.charCount(body.codePointAt(i))) {
      int size = Character.charCount(body.codePointAt(i));
      if (inPart + size > UCS2_PART) {
        parts++;
        inPart = 0;
      }
      inPart += size;
    }
    return new SmsSegments(
        SmsEncoding.UCS2, body.length(), count(body.length(), UCS2_SINGLE, parts));
  }

  private static int count(int total, int single, int parts) {
    if (total == 0) {
      return 0;
    }
    return total <= single ? 1 : parts;
  }
}
