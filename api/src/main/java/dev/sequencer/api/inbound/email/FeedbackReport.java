package dev.sequencer.api.inbound.email;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An abuse feedback report (ARF, RFC 5965: {@code multipart/report; report-type=feedback-report}),
 * which a mailbox provider's feedback loop sends when a recipient marks a message as spam: the type
 * of feedback, the recipient it names, and the Message-ID of the reported message.
 *
 * @param feedbackType {@code abuse}, {@code fraud}, {@code virus}, {@code not-spam}, ...
 */
public record FeedbackReport(String feedbackType, String recipient, String originalMessageId) {

  private static final Pattern FIELD = Pattern.compile("(?im)^([A-Za-z-]+):\\s*(.+?)\\s*$");

  /** A complaint: every type but {@code not-spam}, which takes a complaint back. */
  public boolean complaint() {
    return !"not-spam".equals(feedbackType);
  }

  public static Optional<FeedbackReport> of(MimeMessage message)
      throws MessagingException, IOException {
    if (!message.isMimeType("multipart/report")
        || !(message.getContent() instanceof Multipart report)) {
      return Optional.empty();
    }
    String type = null;
    String recipient = null;
    String originalMessageId = null;
    for (int i = 0; i < report.getCount(); i++) {
      BodyPart part = report.getBodyPart(i);
      if (part.isMimeType("message/feedback-report")) {
        Matcher field = FIELD.matcher(DeliveryReport.text(part));
        while (field.find()) {
          String value = field.group(2);
          switch (field.group(1).toLowerCase(Locale.ROOT)) {
            case "feedback-type" -> type = value.toLowerCase(Locale.ROOT);
            case "original-rcpt-to" -> recipient = value.toLowerCase(Locale.ROOT);
            default -> {}
          }
        }
      } else if (DeliveryReport.isOriginal(part)) {
        originalMessageId = DeliveryReport.originalMessageId(part);
      }
    }
    return type == null
        ? Optional.empty()
        : Optional.of(new FeedbackReport(type, recipient, originalMessageId));
  }
}
