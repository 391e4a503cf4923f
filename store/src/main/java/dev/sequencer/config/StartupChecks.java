package dev.sequencer.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Checks the secrets and addresses a process needs before anything starts. With {@code
 * SEQUENCER_ENV=production} every finding stops the start: one line per problem on standard error
 * and a non-zero exit ({@link #startOrExit}). In development they are warnings, except one: a
 * separate api or worker process without {@code SEQUENCER_TOKEN_SECRET} never starts, since a
 * secret made up by one process signs links the other cannot read — every unsubscribe and tracking
 * link would break. Only the embedded default, api and worker in one process, may make one up.
 */
public final class StartupChecks
    implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

  /** Which process is starting: what it may do without a configured token secret differs. */
  public enum Process {
    API,
    WORKER,
    EMBEDDED
  }

  static final int MIN_SECRET_LENGTH = 32;

  private static final Logger log = LoggerFactory.getLogger(StartupChecks.class);

  private final Process process;

  public StartupChecks(Process process) {
    this.process = process;
  }

  /** Right after the configuration files are read, before anything embedded starts. */
  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 20;
  }

  /** Runs the application, exiting with status 1 when it cannot start, checks included. */
  public static void startOrExit(SpringApplication application, Process process, String[] args) {
    application.addListeners(new StartupChecks(process));
    try {
      application.run(args);
    } catch (Refused e) {
      System.exit(1);
    } catch (RuntimeException | Error e) {
      // Spring has logged why (a port in use, a database that refuses); leave no JVM behind.
      System.exit(1);
    }
  }

  @Override
  public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
    Environment env = event.getEnvironment();
    boolean production = isProduction(env);
    List<String> fatal = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (Finding finding : findings(env, process)) {
      if (production || finding.alwaysFatal()) {
        fatal.add(finding.problem());
      } else {
        warnings.add(finding.problem());
      }
    }
    warnings.forEach(problem -> log.warn("{} (refused with SEQUENCER_ENV=production)", problem));
    if (!fatal.isEmpty()) {
      fatal.forEach(problem -> System.err.println("sequencer: cannot start: " + problem));
      System.err.flush();
      throw new Refused(fatal);
    }
  }

  public static boolean isProduction(Environment env) {
    return "production"
        .equals(env.getProperty("sequencer.env", "").trim().toLowerCase(Locale.ROOT));
  }

  /** A problem of the configuration, and whether it stops even a development start. */
  record Finding(String problem, boolean alwaysFatal) {}

  static List<Finding> findings(Environment env, Process process) {
    List<Finding> findings = new ArrayList<>();
    String apiKey = env.getProperty("sequencer.api-key", "");
    if (apiKey.isBlank()) {
      findings.add(new Finding("SEQUENCER_API_KEY is not set", false));
    } else if (apiKey.equals(SequencerProperties.DEVELOPMENT_API_KEY)) {
      findings.add(new Finding("SEQUENCER_API_KEY is the development key dev-api-key", false));
    } else if (apiKey.length() < MIN_SECRET_LENGTH) {
      findings.add(
          new Finding(
              "SEQUENCER_API_KEY is shorter than " + MIN_SECRET_LENGTH + " characters", false));
    }
    // The worker does not read the api's settings file, so it sees only the variable itself.
    String adminKey =
        env.getProperty("sequencer.access.admin-key", env.getProperty("SEQUENCER_ADMIN_KEY", ""));
    if (adminKey.length() < MIN_SECRET_LENGTH) {
      findings.add(
          new Finding(
              adminKey.isBlank() || adminKey.equals("dev-admin-key")
                  ? "SEQUENCER_ADMIN_KEY is not set (the development key dev-admin-key applies)"
                  : "SEQUENCER_ADMIN_KEY is shorter than " + MIN_SECRET_LENGTH + " characters",
              false));
    }
    String tokenSecret = env.getProperty("sequencer.token-secret", "");
    if (tokenSecret.isBlank()) {
      findings.add(
          new Finding(
              "SEQUENCER_TOKEN_SECRET is not set"
                  + (process == Process.EMBEDDED
                      ? ": links are signed with a secret made for this process and stop working"
                          + " when it restarts"
                      : ": the api and the worker must share one, or no unsubscribe or tracking"
                          + " link works"),
              process != Process.EMBEDDED));
    } else if (tokenSecret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_LENGTH) {
      findings.add(
          new Finding(
              "SEQUENCER_TOKEN_SECRET is shorter than " + MIN_SECRET_LENGTH + " bytes", false));
    }
    String retired = env.getProperty("sequencer.token-secrets-retired", "");
    if (!retired.isBlank()) {
      int position = 0;
      for (String entry : retired.split(",")) {
        position++;
        int at = entry.lastIndexOf('@');
        boolean valid = at > 0;
        if (valid) {
          try {
            java.time.LocalDate.parse(entry.substring(at + 1).trim());
          } catch (java.time.format.DateTimeParseException e) {
            valid = false;
          }
        }
        if (!valid) {
          findings.add(
              new Finding(
                  "SEQUENCER_TOKEN_SECRETS_RETIRED entry "
                      + position
                      + " is not secret@yyyy-mm-dd (the day it was retired)",
                  true));
        }
      }
    }
    String publicUrl = env.getProperty("sequencer.public-url", "");
    if (!isHttps(publicUrl)) {
      findings.add(
          new Finding(
              "SEQUENCER_PUBLIC_URL is not an https address ("
                  + (publicUrl.isBlank() ? "not set" : publicUrl)
                  + "): links in messages and Twilio's signatures need the public https one",
              false));
    }
    return findings;
  }

  private static boolean isHttps(String url) {
    try {
      URI uri = URI.create(url.trim());
      return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The start was refused; the reasons are on standard error already. */
  public static final class Refused extends RuntimeException {
    Refused(List<String> problems) {
      super(String.join("; ", problems), null, false, false);
    }
  }
}
