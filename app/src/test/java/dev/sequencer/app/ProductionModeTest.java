package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged api and worker jars, started as processes the way an operator starts them: with
 * {@code SEQUENCER_ENV=production} they refuse to start on a development or missing secret, one
 * line per problem on standard error and a non-zero exit, before they touch anything; a separate
 * worker (or api) never makes up its own token secret; and a start that fails for any reason leaves
 * no JVM behind.
 */
class ProductionModeTest {

  private static final String GOOD_KEY = "k".repeat(40);
  private static final String GOOD_SECRET = "s".repeat(40);

  record Run(int exitCode, String stderr, String stdout) {}

  @Test
  void productionRefusesDevelopmentAndMissingSecretsWithOneLinePerProblem() throws Exception {
    for (String jar : List.of("api", "worker")) {
      Run run =
          run(
              jar,
              Map.of(
                  "SEQUENCER_ENV", "production",
                  "SEQUENCER_API_KEY", "dev-api-key",
                  "SEQUENCER_TOKEN_SECRET", "too-short",
                  "SEQUENCER_PUBLIC_URL", "http://sequencer.example.com"));
      assertThat(run.exitCode()).as(jar + " exit code").isNotZero();
      List<String> problems =
          run.stderr()
              .lines()
              .filter(line -> line.startsWith("sequencer: cannot start: "))
              .toList();
      assertThat(problems)
          .as(jar + ": " + run.stderr())
          .hasSize(4)
          .anySatisfy(line -> assertThat(line).contains("SEQUENCER_API_KEY", "dev-api-key"))
          .anySatisfy(line -> assertThat(line).contains("SEQUENCER_ADMIN_KEY"))
          .anySatisfy(line -> assertThat(line).contains("SEQUENCER_TOKEN_SECRET", "32 bytes"))
          .anySatisfy(line -> assertThat(line).contains("SEQUENCER_PUBLIC_URL", "https"));
      // Refused before anything starts: no connection to PostgreSQL or Temporal was tried.
      assertThat(run.stdout()).doesNotContain("HikariPool").doesNotContain("Started ");
      assertThat(run.stderr() + run.stdout()).doesNotContain("too-short");

      Run unset = run(jar, Map.of("SEQUENCER_ENV", "production"));
      assertThat(unset.exitCode()).isNotZero();
      assertThat(unset.stderr())
          .contains(
              "SEQUENCER_API_KEY", "SEQUENCER_TOKEN_SECRET is not set", "SEQUENCER_ADMIN_KEY");
    }
  }

  @Test
  void aSeparateProcessWithoutTheSharedTokenSecretNeverStarts() throws Exception {
    for (String jar : List.of("api", "worker")) {
      Run run = run(jar, Map.of());
      assertThat(run.exitCode()).as(jar + " exit code").isNotZero();
      assertThat(run.stderr())
          .as(jar)
          .contains("sequencer: cannot start: SEQUENCER_TOKEN_SECRET is not set")
          .doesNotContain("SEQUENCER_API_KEY");
    }
  }

  @Test
  void goodSecretsPassTheChecksAndAStartThatFailsLaterStillExits() throws Exception {
    int closed = RunningService.freePort();
    for (String jar : List.of("api", "worker")) {
      Run run =
          run(
              jar,
              Map.of(
                  "SEQUENCER_ENV",
                  "production",
                  "SEQUENCER_API_KEY",
                  GOOD_KEY,
                  "SEQUENCER_ADMIN_KEY",
                  GOOD_KEY + "-admin",
                  "SEQUENCER_TOKEN_SECRET",
                  GOOD_SECRET,
                  "SEQUENCER_PUBLIC_URL",
                  "https://sequencer.example.com",
                  // Nothing listens there: the start fails on the database, after the checks.
                  "SPRING_DATASOURCE_URL",
                  "jdbc:postgresql://127.0.0.1:" + closed + "/sequencer",
                  "SEQUENCER_DB_CONNECTION_TIMEOUT_MS",
                  "2000",
                  "TEMPORAL_ADDRESS",
                  "127.0.0.1:" + closed,
                  "PORT",
                  "0",
                  "MANAGEMENT_PORT",
                  "0"));
      assertThat(run.exitCode()).as(jar + " exit code").isNotZero();
      assertThat(run.stderr()).as(jar).doesNotContain("cannot start: ");
      assertThat(run.stderr() + run.stdout()).doesNotContain(GOOD_KEY).doesNotContain(GOOD_SECRET);
    }
  }

  @Test
  void theEmbeddedDefaultExitsWhenItsPortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      List<String> command = new ArrayList<>(java());
      command.addAll(
          List.of(
              "-cp",
              classPath(),
              SequencerApplication.class.getName(),
              "--server.port=" + taken.getLocalPort(),
              "--sequencer.embedded.temporal-port=" + RunningService.freePort(),
              "--sequencer.embedded.smtp-port=" + RunningService.freePort(),
              "--sequencer.embedded.imap-port=" + RunningService.freePort()));
      Run run = run(command, Map.of(), 180);
      assertThat(run.exitCode()).isNotZero();
    }
  }

  private static Run run(String module, Map<String, String> env) throws Exception {
    List<String> command = new ArrayList<>(java());
    command.addAll(List.of("-jar", jar(module).toString()));
    return run(command, env, 120);
  }

  private static Run run(List<String> command, Map<String, String> env, int seconds)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("production-mode", ".out");
    Path err = Files.createTempFile("production-mode", ".err");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().keySet().removeIf(name -> name.startsWith("SEQUENCER_"));
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("still running after " + seconds + " s: " + Files.readString(out));
      }
      return new Run(process.exitValue(), Files.readString(err), Files.readString(out));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Short-lived JVMs: C1 only, which starts Spring several seconds sooner on two cores. */
  private static List<String> java() {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m",
        "-XX:TieredStopAtLevel=1");
  }

  /** The module's executable jar, packaged before this module's tests run. */
  private static Path jar(String module) throws IOException {
    Path target = Path.of("..", module, "target").toAbsolutePath().normalize();
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith("-exec.jar"))
          .findFirst()
          .orElseThrow(
              () -> new AssertionError("no executable jar in " + target + ": build it first"));
    }
  }

  private static String classPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }
}
