package dev.sequencer.app;

import dev.sequencer.api.ApiConfiguration;
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
    start(args);
  }

  public static ConfigurableApplicationContext start(String... args) {
    SpringApplication application = new SpringApplication(SequencerApplication.class);
    application.addListeners(new EmbeddedInfrastructure(), new StartupBanner());
    return application.run(args);
  }
}
