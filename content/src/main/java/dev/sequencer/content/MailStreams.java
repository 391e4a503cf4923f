package dev.sequencer.content;

/**
 * Names Angus Mail's stream provider to Jakarta Mail once, as a system property. Without it,
 * Jakarta Mail 2.1 looks the provider up with a fresh {@code ServiceLoader} for every multipart,
 * body part, header block and encoded word it creates, scanning every jar of the class path each
 * time (jakartaee/mail-api#699 and #861): about a tenth of the CPU a send took. The system property
 * is the first place its {@code FactoryFinder} looks, and the answer is the same class the service
 * loader would find.
 */
public final class MailStreams {

  static final String PROPERTY = "jakarta.mail.util.StreamProvider";
  static final String ANGUS = "org.eclipse.angus.mail.util.MailStreamProvider";

  private MailStreams() {}

  /** Sets the property unless the operator set one. */
  public static void pinProvider() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, ANGUS);
    }
  }
}
