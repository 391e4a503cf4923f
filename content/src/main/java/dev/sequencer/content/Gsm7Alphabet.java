package dev.sequencer.content;

/** The GSM 03.38 default alphabet and its extension table. */
final class Gsm7Alphabet {

  /** The basic table in code order, 0x00 to 0x7F, without 0x1B (the escape to the extension). */
  static final String BASIC =
      "@£$¥èéùìòÇ\nØø\rÅå"
          + "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
          + " !\"#¤%&'()*+,-./"
          + "0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNO"
          + "PQRSTUVWXYZÄÖÑÜ§"
          + "¿abcdefghijklmno"
          + "pqrstuvwxyzäöñüà";

  /** Characters sent as escape plus a code from the extension table: two septets each. */
  static final String EXTENSION = "\f^{}\\[~]|€";

  private Gsm7Alphabet() {}

  static boolean canEncode(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (septets(text.charAt(i)) == 0) {
        return false;
      }
    }
    return true;
  }

  /** Septets {@code c} takes: 1 (basic), 2 (extension) or 0 when GSM-7 cannot encode it. */
  static int septets(char c) {
    if (BASIC.indexOf(c) >= 0) {
      return 1;
    }
    return EXTENSION.indexOf(c) >= 0 ? 2 : 0;
  }
}
