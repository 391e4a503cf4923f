package dev.sequencer.app;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.Properties;

/** Mail that comes back to a sender's mailbox, handed to the embedded SMTP server. */
final class TestMail {

  private TestMail() {}

  /** A reply, threaded when {@code inReplyTo} is given. */
  static void send(
      int smtpPort, String from, String to, String subject, String body, String inReplyTo)
      throws Exception {
    MimeMessage message = new MimeMessage(session(smtpPort));
    message.setFrom(new InternetAddress(from));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    message.setSubject(subject);
    message.setText(body);
    if (inReplyTo != null) {
      message.setHeader("In-Reply-To", inReplyTo);
      message.setHeader("References", inReplyTo);
    }
    Transport.send(message);
  }

  /** An RFC 3464 report as a relay sends it, quoting the original message's headers. */
  static void deliveryReport(
      int smtpPort, String to, String status, String recipient, String originalMessageId)
      throws Exception {
    MimeMessage report = new MimeMessage(session(smtpPort));
    report.setFrom(new InternetAddress("MAILER-DAEMON@mx.example.com"));
    report.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    report.setSubject("Undelivered Mail Returned to Sender: " + recipient);
    report.setHeader("Auto-Submitted", "auto-replied");
    MimeMultipart multipart = new MimeMultipart("report; report-type=delivery-status");
    MimeBodyPart human = new MimeBodyPart();
    human.setText(
        "This is the mail system at host mx.example.com. Your message could not be delivered.");
    multipart.addBodyPart(human);
    MimeBodyPart fields = new MimeBodyPart();
    fields.setContent(
        "Reporting-MTA: dns; mx.example.com\r\n\r\n"
            + "Final-Recipient: rfc822; "
            + recipient
            + "\r\n"
            + "Action: "
            + (status.startsWith("5") ? "failed" : "delayed")
            + "\r\n"
            + "Status: "
            + status
            + "\r\n"
            + "Diagnostic-Code: smtp; "
            + (status.startsWith("5") ? "550 5.1.1 User unknown" : "452 4.2.2 Mailbox full")
            + "\r\n",
        "message/delivery-status");
    multipart.addBodyPart(fields);
    multipart.addBodyPart(originalHeaders(originalMessageId, to, recipient));
    report.setContent(multipart);
    Transport.send(report);
  }

  /**
   * An RFC 5965 abuse report as a mailbox provider's feedback loop sends it (the example of its
   * appendix B), quoting the reported message's headers.
   */
  static void feedbackReport(
      int smtpPort, String to, String feedbackType, String recipient, String originalMessageId)
      throws Exception {
    MimeMessage report = new MimeMessage(session(smtpPort));
    report.setFrom(new InternetAddress("arf@fbl.example.net"));
    report.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    report.setSubject("FW: Quick idea");
    MimeMultipart multipart = new MimeMultipart("report; report-type=feedback-report");
    MimeBodyPart human = new MimeBodyPart();
    human.setText("This is an email abuse report for an email message received from you.");
    multipart.addBodyPart(human);
    MimeBodyPart fields = new MimeBodyPart();
    fields.setContent(
        "Feedback-Type: "
            + feedbackType
            + "\r\nUser-Agent: SomeGenerator/1.0\r\nVersion: 1\r\n"
            + "Original-Mail-From: <"
            + to
            + ">\r\nOriginal-Rcpt-To: <"
            + recipient
            + ">\r\nArrival-Date: Thu, 8 Mar 2005 14:00:00 EDT\r\n"
            + "Reported-Domain: example.net\r\n",
        "message/feedback-report");
    multipart.addBodyPart(fields);
    multipart.addBodyPart(originalHeaders(originalMessageId, to, recipient));
    report.setContent(multipart);
    Transport.send(report);
  }

  /** The reported message's headers, as a report quotes them (RFC 6522 text/rfc822-headers). */
  private static MimeBodyPart originalHeaders(String messageId, String from, String to)
      throws Exception {
    MimeBodyPart original = new MimeBodyPart();
    original.setContent(
        "Message-ID: "
            + messageId
            + "\r\nFrom: "
            + from
            + "\r\nTo: "
            + to
            + "\r\nSubject: Idea\r\n",
        "text/rfc822-headers");
    return original;
  }

  private static Session session(int smtpPort) {
    Properties properties = new Properties();
    properties.put("mail.smtp.host", "127.0.0.1");
    properties.put("mail.smtp.port", String.valueOf(smtpPort));
    return Session.getInstance(properties);
  }
}
