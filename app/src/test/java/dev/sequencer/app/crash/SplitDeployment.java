package dev.sequencer.app.crash;

import static dev.sequencer.app.crash.CrashHarness.deleteTree;
import static dev.sequencer.app.crash.CrashHarness.freePort;

import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import dev.sequencer.api.ApiApplication;
import io.temporal.api.testservice.v1.LockTimeSkippingRequest;
import io.temporal.api.testservice.v1.UnlockTimeSkippingRequest;
import io.temporal.serviceclient.TestServiceStubs;
import io.temporal.serviceclient.TestServiceStubsOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service split over processes as the process-level tests need it: the Temporal test server,
 * skipping time, in a JVM of its own; the api in this JVM; the worker in a JVM of its own, so that
 * a test can kill it, start it again and reach its health endpoint as a probe would. PostgreSQL,
 * the SMTP relay and Twilio stay the test's own, for it to take away and count at. Closing it stops
 * the processes and deletes the copies of the class path they ran on.
 */
final class SplitDeployment implements AutoCloseable {

  /** The Twilio account the worker is given; the test's {@link TwilioStandIn} accepts it. */
  static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";

  static final String AUTH_TOKEN = "f1e2d3c4b5a6978812345678abcdef90";

  private final Path out;
  private final String jdbcUrl;
  private final String apiKey;
  private final String tokenSecret;

  /** The class path of the child JVMs: copies, so a concurrent build cannot change it mid-run. */
  private final Path classPathCopies;

  private ChildJvm temporal;
  private int temporalPort;
  private TestServiceStubs testService;
  private ConfigurableApplicationContext api;
  private ChildJvm worker;

  /**
   * A deployment whose processes log to {@code out} and share the PostgreSQL at {@code jdbcUrl};
   * nothing runs until it is started, piece by piece, in the order the test needs.
   */
  SplitDeployment(Path out, String jdbcUrl, String apiKey, String tokenSecret) {
    this.out = out;
    this.jdbcUrl = jdbcUrl;
    this.apiKey = apiKey;
    this.tokenSecret = tokenSecret;
    this.classPathCopies = out.resolve("class-path");
  }

  void startTemporal(String maxHeap) throws Exception {
    temporalPort = freePort();
    temporal =
        ChildJvm.start(
            "temporal-test-server",
            out.resolve("temporal-test-server.log"),
            classPathCopies,
            List.of("-Xmx" + maxHeap, "-XX:+UseSerialGC"),
            TemporalTestServerMain.class.getName(),
            List.of(String.valueOf(temporalPort)));
    awaitPort(temporal, temporalPort, Duration.ofSeconds(60));
    testService =
        TestServiceStubs.newServiceStubs(
            TestServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + temporalPort)
                .validateAndBuildWithDefaults());
  }

  int temporalPort() {
    return temporalPort;
  }

  /** The Temporal test server's clock, which time skipping moves ahead of the wall clock. */
  Instant temporalTime() {
    Timestamp time =
        testService.blockingStub().getCurrentTime(Empty.getDefaultInstance()).getTime();
    return Instant.ofEpochSecond(time.getSeconds(), time.getNanos());
  }

  /** Timers and retry backoffs run on the wall clock until as many unlocks as locks. */
  void lockTimeSkipping() {
    testService.blockingStub().lockTimeSkipping(LockTimeSkippingRequest.getDefaultInstance());
  }

  void unlockTimeSkipping() {
    testService.blockingStub().unlockTimeSkipping(UnlockTimeSkippingRequest.getDefaultInstance());
  }

  /** Starts the api in this JVM, on a free port; returns it under the deployment's api key. */
  CrashHarness.Api startApi() {
    return startApi(List.of());
  }

  /** As {@link #startApi()}, with {@code settings} on top of the api's own. */
  CrashHarness.Api startApi(List<String> settings) {
    List<String> arguments = new ArrayList<>(apiArguments());
    arguments.add("--server.port=0");
    arguments.addAll(settings);
    api = new SpringApplicationBuilder(ApiApplication.class).run(arguments.toArray(String[]::new));
    return new CrashHarness.Api(
        "http://127.0.0.1:" + api.getEnvironment().getProperty("local.server.port"), apiKey);
  }

  /**
   * Starts an api replica in a JVM of its own, logging to {@code <name>.log}, with {@code settings}
   * on top of the api's own; the test kills or stops it.
   */
  ChildJvm startApiProcess(String name, List<String> settings) throws IOException {
    List<String> arguments = new ArrayList<>(apiArguments());
    arguments.addAll(settings);
    return ChildJvm.start(
        name,
        out.resolve(name + ".log"),
        classPathCopies,
        List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
        ApiApplication.class.getName(),
        arguments);
  }

  private List<String> apiArguments() {
    return List.of(
        "--spring.config.location=classpath:/sequencer-common.yml,classpath:/sequencer-api.yml",
        "--spring.datasource.url=" + jdbcUrl,
        "--spring.datasource.username=postgres",
        "--spring.datasource.password=postgres",
        "--TEMPORAL_ADDRESS=127.0.0.1:" + temporalPort,
        "--sequencer.api-key=" + apiKey,
        "--sequencer.token-secret=" + tokenSecret,
        "--spring.main.banner-mode=off");
  }

  /**
   * Starts a worker JVM, logging to {@code <name>.log}, that sends email through the relay at
   * {@code smtpPort} and SMS through the Twilio at {@code twilioUrl}; {@code jvmOptions} and {@code
   * settings} come on top of what every worker of the tests runs with. The deployment stops it when
   * it closes; a test that starts another must have ended this one.
   */
  ChildJvm startWorker(
      String name, int smtpPort, String twilioUrl, List<String> jvmOptions, List<String> settings)
      throws IOException {
    List<String> options =
        new ArrayList<>(
            List.of(
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError"));
    options.addAll(jvmOptions);
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--spring.config.location=classpath:/sequencer-common.yml,classpath:/sequencer-worker.yml",
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres",
                "--TEMPORAL_ADDRESS=127.0.0.1:" + temporalPort,
                "--SMTP_HOST=127.0.0.1",
                "--SMTP_PORT=" + smtpPort,
                "--SMTP_STARTTLS=false",
                "--sequencer.token-secret=" + tokenSecret,
                "--sequencer.public-url=http://sequencer.test",
                "--sequencer.twilio.account-sid=" + ACCOUNT_SID,
                "--sequencer.twilio.auth-token=" + AUTH_TOKEN,
                "--sequencer.twilio.api-base-url=" + twilioUrl,
                "--spring.main.banner-mode=off"));
    arguments.addAll(settings);
    worker =
        ChildJvm.start(
            name,
            out.resolve(name + ".log"),
            classPathCopies,
            options,
            CrashWorkerMain.class.getName(),
            arguments);
    return worker;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (worker != null) {
      worker.stop(10);
    }
    if (api != null) {
      api.close();
    }
    if (testService != null) {
      testService.shutdownNow();
    }
    if (temporal != null) {
      temporal.stop(10);
    }
    deleteTree(classPathCopies);
  }

  private static void awaitPort(ChildJvm process, int port, Duration limit) throws Exception {
    long deadline = System.currentTimeMillis() + limit.toMillis();
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.currentTimeMillis() > deadline) {
          throw new AssertionError(
              process.name + " did not listen on " + port + ": " + process.log);
        }
        Thread.sleep(100);
      }
    }
  }
}
