package dev.sequencer.api.inbound.email;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A delivery status notification (RFC 3464: {@code multipart/report; report-type=delivery-status}):
 * which recipient, which status, and the Message-ID of the message it reports on.
 *
 * @param status the RFC 3463 status code, e.g. {@code 5.1.1}
 */
public record DeliveryReport(
    String recipient, String status, String action, String diagnostic, String originalMessageId) {

  private static final Pattern FIELD = Pattern.compile("(?im)^([A-Za-z-]+):\\s*(.+?)\\s*$");

  /** A 5.x.x status: the address will never accept the message. */
  public boolean permanent() {
    return status != null && status.startsWith("5");
  }

  public static Optional<DeliveryReport> of(MimeMessage message)
      throws MessagingException, IOException {
    if (!message.isMimeType("multipart/report")
        || !(message.getContent() instanceof Multipart report)) {
      return Optional.empty();
    }
    String status = null;
    String action = null;
    String recipient = null;
    String diagnostic = null;
    String originalMessageId = null;
    for (int i = 0; i < report.getCount(); i++) {
      BodyPart part = report.getBodyPart(i);
      if (part.isMimeType("message/delivery-status")) {
        String fields = text(part);
        Matcher field = FIELD.matcher(fields);
        while (field.find()) {
          String name = field.group(1).toLowerCase();
          String value = field.group(2);
          switch (name) {
            case "status" -> status = status == null ? value : status;
            case "action" -> action = action == null ? value.toLowerCase() : action;
            case "final-recipient", "original-recipient" -> {
              if (recipient == null || name.equals("final-recipient")) {
                recipient = value.replaceFirst("(?i)^rfc822;\\s*", "").toLowerCase();
              }
            }
            case "diagnostic-code" -> diagnostic = value;
            default -> {}
          }
        }
      } else if (isOriginal(part)) {
        originalMessageId = originalMessageId(part);
      }
    }
    if (status == null) {
      return Optional.empty();
    }
    return Optional.of(
        new DeliveryReport(recipient, status, action, diagnostic, originalMessageId));
  }

  /** The part of a report that carries the reported message or its headers (RFC 6522). */
  static boolean isOriginal(Part part) throws MessagingException {
    return part.isMimeType("message/rfc822") || part.isMimeType("text/rfc822-headers");
  }

  static String originalMessageId(Part part) throws MessagingException, IOException {
    InternetHeaders headers =
        new InternetHeaders(new ByteArrayInputStream(text(part).getBytes(StandardCharsets.UTF_8)));
    return headers.getHeader("Message-ID", null);
  }

  static String text(Part part) throws MessagingException, IOException {
    Object content = part.getContent();
    if (content instanceof String s) {
      return s;
    }
    if (content instanceof MimeMessage embedded) {
      StringBuilder headers = new StringBuilder();
      var all = embedded.getAllHeaderLines();
      while (all.hasMoreElements()) {
        headers.append(all.nextElement()).append("\r\n");
      }
      return headers.toString();
    }
    if (content instanceof InputStream in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return String.valueOf(content);
  }
}
