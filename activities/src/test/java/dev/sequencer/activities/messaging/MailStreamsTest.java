package dev.sequencer.activities.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.content.MailStreams;
import jakarta.mail.util.StreamProvider;
import org.eclipse.angus.mail.util.MailStreamProvider;
import org.junit.jupiter.api.Test;

/** Jakarta Mail finds Angus Mail's stream provider by name, not by scanning the class path. */
class MailStreamsTest {

  @Test
  void theSenderNamesAngusMailsStreamProviderToJakartaMail() throws Exception {
    Class.forName(EmailSender.class.getName(), true, EmailSender.class.getClassLoader());
    MailStreams.pinProvider();

    assertThat(System.getProperty("jakarta.mail.util.StreamProvider"))
        .isEqualTo(MailStreamProvider.class.getName());
    assertThat(StreamProvider.provider()).isInstanceOf(MailStreamProvider.class);
  }
}
