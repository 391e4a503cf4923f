package dev.sequencer.app;

import dev.sequencer.config.SequencerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/** Tells whoever started the service where everything is, once it accepts requests. */
final class StartupBanner implements ApplicationListener<ApplicationReadyEvent> {

  private static final Logger log = LoggerFactory.getLogger(StartupBanner.class);

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    Environment env = event.getApplicationContext().getEnvironment();
    SequencerProperties properties =
        event.getApplicationContext().getBean(SequencerProperties.class);
    String port = env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
    String base = "http://localhost:" + port;
    StringBuilder banner = new StringBuilder("\n\n  Sequencer is ready\n");
    banner.append("  API          ").append(base).append("/api/v1/campaigns\n");
    banner.append("  Swagger UI   ").append(base).append("/swagger-ui.html\n");
    banner.append("  Health       ").append(base).append("/actuator/health\n");
    if (properties.usesDevelopmentApiKey()) {
      banner.append("  API key      ").append(properties.apiKey()).append("  (development key)\n");
    } else {
      banner.append("  API key      from SEQUENCER_API_KEY\n");
    }
    String imap = env.getProperty("sequencer.embedded.imap");
    if (imap != null) {
      banner
          .append("  SMTP         ")
          .append(env.getProperty("sequencer.embedded.smtp"))
          .append(" (embedded)\n");
      banner
          .append("  IMAP         ")
          .append(imap)
          .append(" (embedded; user name and password: the recipient's address)\n");
    }
    String temporal = env.getProperty("sequencer.embedded.temporal");
    banner
        .append("  Temporal     ")
        .append(env.getProperty("spring.temporal.connection.target"))
        .append(temporal == null ? "\n" : " (embedded, " + clockOf(env) + ")\n");
    if (env.getProperty("sequencer.embedded.postgres") != null) {
      banner
          .append("  PostgreSQL   ")
          .append(env.getProperty("sequencer.embedded.postgres"))
          .append(" (embedded)\n");
    }
    log.info(banner.toString());
  }

  private static String clockOf(Environment env) {
    return env.getProperty("sequencer.embedded.temporal-time-skipping", Boolean.class, false)
        ? "skipping time"
        : "real time";
  }
}
