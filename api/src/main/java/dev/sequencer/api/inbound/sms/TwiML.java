package dev.sequencer.api.inbound.sms;

/** The TwiML answers of the SMS webhook: nothing, or one message back to the sender. */
final class TwiML {

  private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

  private TwiML() {}

  /** Twilio sends nothing back. */
  static String empty() {
    return DECLARATION + "<Response/>";
  }

  /** Twilio texts {@code text} back to the sender. */
  static String message(String text) {
    return DECLARATION + "<Response><Message>" + escape(text) + "</Message></Response>";
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          // Control characters other than tab and line breaks are not allowed in XML 1.0.
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
