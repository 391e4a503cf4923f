package dev.sequencer.activitiestest;

import dev.sequencer.store.testing.StoreFixtures;
import dev.sequencer.store.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the activity tests: one Spring context for all of them (cached), on the JVM's embedded
 * PostgreSQL, with the mail sender pointed at {@link #SMTP_PORT}, where the tests that send run a
 * GreenMail SMTP server.
 */
@SpringBootTest(
    classes = ActivitiesTestApplication.class,
    properties = {
      "spring.main.banner-mode=off",
      "spring.mail.host=127.0.0.1",
      "spring.mail.properties.mail.smtp.starttls.enable=false",
      "spring.mail.properties.mail.smtp.connectiontimeout=5000",
      "spring.mail.properties.mail.smtp.timeout=5000",
      "sequencer.public-url=http://sequencer.test",
      // The webhook tests wake their endpoints' workflows on their own test server.
      "sequencer.webhooks.wakeups=false"
    })
public abstract class ActivitiesIntegrationTest {

  /** Chosen once per JVM, so every test class sees the port the cached context was built with. */
  public static final int SMTP_PORT = freePort();

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
    registry.add("spring.mail.port", () -> SMTP_PORT);
  }

  @Autowired protected ApplicationContext context;
  @Autowired protected JdbcClient jdbc;
  @Autowired protected MutableClock clock;

  protected StoreFixtures fixtures() {
    return StoreFixtures.of(context);
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
