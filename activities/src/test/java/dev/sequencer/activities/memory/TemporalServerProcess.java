package dev.sequencer.activities.memory;

import dev.sequencer.workflows.testserver.TimerLockLog;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Temporal's Java test server in a process of its own, as a worker meets a Temporal cluster: the
 * sleeping runs live there, not in the worker's heap. Time skipping stays locked (real time), and
 * the clock's lock log is off as on the embedded default. Stays up until it is killed.
 */
public final class TemporalServerProcess {

  private TemporalServerProcess() {}

  public static void main(String[] args) throws InterruptedException {
    TestServer.PortBoundTestServer server =
        TestServer.createPortBoundServer(Integer.parseInt(args[0]), true);
    TimerLockLog.switchOff(server);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("TEMPORAL READY");
    System.out.flush();
    Thread.currentThread().join();
  }

  /** Starts the server on {@code port} in a child JVM and returns once it is ready. */
  static Process start(int port, Path log) throws IOException, InterruptedException {
    String classPath = System.getProperty("surefire.test.class.path");
    if (classPath == null || classPath.isBlank()) {
      classPath = System.getProperty("java.class.path");
    }
    Process process =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx4g",
                    "-cp",
                    classPath,
                    TemporalServerProcess.class.getName(),
                    String.valueOf(port)))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!java.nio.file.Files.readString(log).contains("TEMPORAL READY")) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "the Temporal server process did not start: " + java.nio.file.Files.readString(log));
      }
      Thread.sleep(100);
    }
    return process;
  }
}
