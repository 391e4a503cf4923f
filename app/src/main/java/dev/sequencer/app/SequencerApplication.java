package dev.sequencer.app;

import dev.sequencer.api.ApiConfiguration;
import dev.sequencer.config.StartupChecks;
import dev.sequencer.worker.WorkerConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The api and the worker in one process, on embedded Temporal, PostgreSQL and SMTP/IMAP for every
 * part that no environment variable points elsewhere.
 */
@SpringBootApplication(scanBasePackages = "dev.sequencer.api")
@Import({ApiConfiguration.class, WorkerConfiguration.class})
public class SequencerApplication {

  public static void main(String[] args) {
    StartupChecks.startOrExit(application(), StartupChecks.Process.EMBEDDED, args);
  }

  /** Starts the service in this JVM (the tests' way), with the same checks as {@link #main}. */
  public static ConfigurableApplicationContext start(String... args) {
    SpringApplication application = application();
    application.addListeners(new StartupChecks(StartupChecks.Process.EMBEDDED));
    return application.run(args);
  }

  private static SpringApplication application() {
    SpringApplication application = new SpringApplication(SequencerApplication.class);
    application.addListeners(new EmbeddedInfrastructure(), new StartupBanner());
    return application;
  }
}
