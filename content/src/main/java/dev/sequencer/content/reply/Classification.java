package dev.sequencer.content.reply;

import java.time.LocalDate;
import java.util.Objects;

/**
 * The outcome of {@link ReplyClassifier#classify(InboundReply)}.
 *
 * @param replyClass what the reply is
 * @param returnDate for {@link ReplyClass#OUT_OF_OFFICE} only: the date the person says they are
 *     back ("until X", "back on X" and "returning X" all give X; the caller adds a business day if
 *     it wants one), or {@code null} when the reply names none; always {@code null} for other
 *     classes
 * @param text the reply with quoted earlier messages and the signature stripped
 * @param reason a short explanation for people, such as {@code Auto-Submitted: auto-replied} or
 *     {@code phrase 'remove me'}
 */
public record Classification(
    ReplyClass replyClass, LocalDate returnDate, String text, String reason) {

  public Classification {
    Objects.requireNonNull(replyClass, "replyClass");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(reason, "reason");
    if (returnDate != null && replyClass != ReplyClass.OUT_OF_OFFICE) {
      throw new IllegalArgumentException("Only an out-of-office reply has a return date");
    }
  }
}
