package dev.sequencer.app;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.sequencer.workflows.testserver.TimerLockLog;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts an embedded counterpart for each part that is not configured: PostgreSQL when there is no
 * {@code SPRING_DATASOURCE_URL}, Temporal (real time, no time skipping) when there is no {@code
 * TEMPORAL_ADDRESS}, GreenMail SMTP and IMAP when there is no {@code SMTP_HOST}. Runs before the
 * context exists, so the auto-configured clients see the embedded addresses; stops them after every
 * bean that uses them is gone.
 */
public final class EmbeddedInfrastructure
    implements ApplicationListener<ApplicationEvent>, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedInfrastructure.class);

  private final Deque<Closeable> started = new ArrayDeque<>();
  private LoopbackTemporalServer embeddedTemporal;

  /** The embedded Temporal server, when this process started one. */
  LoopbackTemporalServer embeddedTemporal() {
    return embeddedTemporal;
  }

  @Override
  public void onApplicationEvent(ApplicationEvent event) {
    if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
      start(prepared.getEnvironment());
    } else if (event instanceof ApplicationPreparedEvent prepared) {
      // Registered first, destroyed last: after the worker, the mail sender and the pool.
      var beans =
          (org.springframework.beans.factory.support.DefaultListableBeanFactory)
              prepared.getApplicationContext().getBeanFactory();
      beans.registerSingleton("embeddedInfrastructure", this);
      beans.registerDisposableBean("embeddedInfrastructure", this);
      if (embeddedTemporal != null) {
        beans.registerSingleton(
            "uncompressedTemporalConnection", new UncompressedTemporalConnection());
      }
    } else if (event instanceof ApplicationFailedEvent) {
      destroy();
    }
  }

  private void start(ConfigurableEnvironment env) {
    Map<String, Object> properties = new HashMap<>();
    if (isBlank(env.getProperty("spring.datasource.url"))) {
      startPostgres(env, properties);
    }
    if (isBlank(env.getProperty("TEMPORAL_ADDRESS"))) {
      int port = env.getProperty("sequencer.embedded.temporal-port", Integer.class, 7233);
      // Real time unless a test asks for skipping: then a three-day timer fires at once.
      boolean skipTime =
          env.getProperty("sequencer.embedded.temporal-time-skipping", Boolean.class, false);
      LoopbackTemporalServer temporal = LoopbackTemporalServer.start(port, !skipTime);
      started.push(temporal::close);
      TimerLockLog.switchOff(temporal);
      embeddedTemporal = temporal;
      properties.put("spring.temporal.connection.target", "127.0.0.1:" + port);
      properties.put("sequencer.embedded.temporal", "127.0.0.1:" + port);
      if (skipTime && env.getProperty("sequencer.imap.poller") == null) {
        // A poller workflow's timers would be skipped too: it would read its mailbox without
        // pause and drive the server's clock ahead while a test waits for a reply to arrive.
        properties.put("sequencer.imap.poller", "scheduled");
      }
      log.info(
          "Embedded Temporal server ({}) on 127.0.0.1:{}",
          skipTime ? "skipping time" : "real time",
          port);
    }
    if (isBlank(env.getProperty("spring.mail.host"))) {
      startMail(env, properties);
    }
    env.getPropertySources().addFirst(new MapPropertySource("sequencerEmbedded", properties));
  }

  private void startPostgres(ConfigurableEnvironment env, Map<String, Object> properties) {
    try {
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setPort(env.getProperty("sequencer.embedded.postgres-port", Integer.class, 0))
              .start();
      started.push(postgres);
      properties.put("spring.datasource.url", postgres.getJdbcUrl("postgres", "postgres"));
      properties.put("spring.datasource.username", "postgres");
      properties.put("spring.datasource.password", "postgres");
      properties.put("sequencer.embedded.postgres", postgres.getJdbcUrl("postgres", "postgres"));
      log.info("Embedded PostgreSQL on port {}", postgres.getPort());
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    }
  }

  private void startMail(ConfigurableEnvironment env, Map<String, Object> properties) {
    int smtpPort = env.getProperty("sequencer.embedded.smtp-port", Integer.class, 3025);
    int imapPort = env.getProperty("sequencer.embedded.imap-port", Integer.class, 3143);
    // GreenMail creates a mailbox for every recipient, with the address as login and password.
    GreenMail mail =
        new GreenMail(
            new ServerSetup[] {
              new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
              new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)
            });
    mail.start();
    started.push(mail::stop);
    properties.put("spring.mail.host", "127.0.0.1");
    properties.put("spring.mail.port", smtpPort);
    properties.put("spring.mail.username", "");
    properties.put("spring.mail.password", "");
    properties.put("spring.mail.properties.mail.smtp.starttls.enable", "false");
    properties.put("spring.mail.properties.mail.smtp.ssl.enable", "false");
    if (isBlank(env.getProperty("sequencer.imap.host"))) {
      properties.put("sequencer.imap.host", "127.0.0.1");
      properties.put("sequencer.imap.port", imapPort);
      properties.put("sequencer.imap.ssl", "false");
    }
    properties.put("sequencer.embedded.smtp", "127.0.0.1:" + smtpPort);
    properties.put("sequencer.embedded.imap", "127.0.0.1:" + imapPort);
    log.info("Embedded SMTP on 127.0.0.1:{}, IMAP on 127.0.0.1:{}", smtpPort, imapPort);
  }

  @Override
  public void destroy() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (IOException | RuntimeException e) {
        log.warn("stopping an embedded server failed", e);
      }
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
